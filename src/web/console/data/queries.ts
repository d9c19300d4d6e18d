// Shared queries for reference data used by several pages.
import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api';
import type { Department, OrgTreeNode, Permission, Role } from '../../shared/types';

export const queryKeys = {
  health: ['health'] as const,
  orgTree: ['org', 'tree'] as const,
  orgUnit: (id: string) => ['org', 'unit', id] as const,
  departments: ['org', 'departments'] as const,
  roles: ['roles'] as const,
  permissions: ['permissions'] as const,
  users: (params: unknown) => ['users', 'list', params] as const,
  user: (id: string) => ['users', 'detail', id] as const,
  audit: (params: unknown) => ['audit', 'list', params] as const,
  sessions: ['auth', 'sessions'] as const,
};

function sortByCode(nodes: OrgTreeNode[]): OrgTreeNode[] {
  return [...nodes]
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((n) => ({ ...n, children: sortByCode(n.children ?? []) }));
}

/** The org tree answer as a list of roots (the server may send one root or several), ordered by code. */
async function fetchOrgTree(): Promise<OrgTreeNode[]> {
  const data = await api.get<OrgTreeNode | OrgTreeNode[] | null>('/org/tree');
  if (!data) return [];
  return sortByCode(Array.isArray(data) ? data : [data]);
}

export function useOrgTree(enabled = true) {
  return useQuery({ queryKey: queryKeys.orgTree, queryFn: fetchOrgTree, enabled });
}

export function useDepartments(enabled = true) {
  return useQuery({
    queryKey: queryKeys.departments,
    queryFn: () => api.get<Department[]>('/org/departments'),
    enabled,
  });
}

export function useRoles(enabled = true) {
  return useQuery({ queryKey: queryKeys.roles, queryFn: () => api.get<Role[]>('/roles'), enabled, staleTime: 300_000 });
}

export function usePermissions(enabled = true) {
  return useQuery({
    queryKey: queryKeys.permissions,
    queryFn: () => api.get<Permission[]>('/permissions'),
    enabled,
    staleTime: 300_000,
  });
}
