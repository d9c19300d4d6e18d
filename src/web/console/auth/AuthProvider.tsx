import { createContext, useCallback, useContext, useEffect, useMemo } from 'react';
import type { ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isApiError, setUnauthorizedHandler } from '../../shared/api';
import type { LoginResponse, Me } from '../../shared/types';
import { holds } from './holds';

export const ME_KEY = ['auth', 'me'] as const;

export interface LoginInput {
  username: string;
  password: string;
  totp?: string;
}

interface AuthState {
  me: Me | null | undefined;
  loading: boolean;
  error: unknown;
  /** Whether the signed-in user holds the permission (for a list: any one of them); none asked = yes. */
  can: (permission: string | readonly string[] | undefined) => boolean;
  login: (input: LoginInput) => Promise<Me>;
  logout: () => Promise<void>;
  refresh: () => Promise<unknown>;
  retry: () => void;
}

const AuthContext = createContext<AuthState | null>(null);

async function fetchMe(): Promise<Me | null> {
  try {
    return await api.get<Me>('/auth/me', undefined, { skipAuthRedirect: true });
  } catch (err) {
    if (isApiError(err) && err.status === 401) return null;
    throw err;
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const meQuery = useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 60_000, retry: 1 });

  const forget = useCallback(() => {
    qc.setQueryData(ME_KEY, null);
    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
  }, [qc]);

  // Any 401 anywhere means the session is gone: drop the user; the route guard sends them to sign in.
  useEffect(() => setUnauthorizedHandler(forget), [forget]);

  const login = useCallback(
    async (input: LoginInput) => {
      const body: LoginInput = { username: input.username, password: input.password };
      if (input.totp) body.totp = input.totp;
      const res = await api.post<LoginResponse>('/auth/login', body, { skipAuthRedirect: true });
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
      qc.setQueryData(ME_KEY, res.user);
      return res.user;
    },
    [qc],
  );

  const logout = useCallback(async () => {
    try {
      await api.post('/auth/logout', undefined, { skipAuthRedirect: true });
    } finally {
      forget();
    }
  }, [forget]);

  const me = meQuery.data;
  const value = useMemo<AuthState>(
    () => ({
      me,
      loading: meQuery.isPending,
      error: meQuery.error,
      can: (permission) => holds(me?.permissions, permission),
      login,
      logout,
      refresh: () => qc.invalidateQueries({ queryKey: ME_KEY }),
      retry: () => void meQuery.refetch(),
    }),
    [me, meQuery, login, logout, qc],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth must be used inside <AuthProvider>');
  return ctx;
}

/** The signed-in user; only for components rendered behind <RequireAuth>. */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('useMe used without a signed-in user');
  return me;
}
