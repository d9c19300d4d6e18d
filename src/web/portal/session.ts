// Who is signed in: asked once from GET /api/v1/auth/me (401 → nobody) and shared by every page.
import { useEffect, useSyncExternalStore } from 'react';
import { fetchMe, isApiError } from './api';

export type Session =
  | { status: 'unknown' }
  | { status: 'anon'; staff: boolean }
  | { status: 'resident'; phone: string }
  | { status: 'error'; message: string };

let session: Session = { status: 'unknown' };
let loading: Promise<void> | null = null;
const listeners = new Set<() => void>();

function setSession(s: Session) {
  session = s;
  for (const l of listeners) l();
}

export function loadSession(): Promise<void> {
  if (!loading) {
    loading = fetchMe()
      .then((me) =>
        setSession(me.kind === 'resident' && me.phone ? { status: 'resident', phone: me.phone } : { status: 'anon', staff: me.kind === 'staff' }),
      )
      .catch((err: unknown) => {
        if (isApiError(err) && err.status === 401) setSession({ status: 'anon', staff: false });
        else setSession({ status: 'error', message: err instanceof Error ? err.message : String(err) });
      })
      .finally(() => {
        loading = null;
      });
  }
  return loading;
}

export const signedIn = (phone: string) => setSession({ status: 'resident', phone });
export const signedOut = () => setSession({ status: 'anon', staff: false });

export function useSession(): Session {
  const s = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => session,
  );
  useEffect(() => {
    if (s.status === 'unknown') void loadSession();
  }, [s.status]);
  return s;
}

/** The signed-in resident's phone, or '' (forms prefill it). */
export const sessionPhone = () => (session.status === 'resident' ? session.phone : '');
