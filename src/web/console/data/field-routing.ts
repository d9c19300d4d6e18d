// 网格采集 · 分派 for staff: routing rules, the dispatch inboxes, handling, and the figures per department
// (docs/api-field.md "Routing").
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api';
import type { Page } from '../../shared/types';
import type { FormFieldType, FormSchema } from '../../../shared/forms';

// ---- vocabularies -------------------------------------------------------------------------------------------

export const ROUTING_OPS = ['eq', 'neq', 'in', 'gte', 'lte', 'contains', 'truthy', 'falsy'] as const;
export type RoutingOp = (typeof ROUTING_OPS)[number];

/** The operators each form-field type supports (the server checks the same table). */
export const OPS_BY_TYPE: Record<FormFieldType, readonly RoutingOp[]> = {
  text: ['eq', 'neq', 'in', 'contains', 'truthy', 'falsy'],
  textarea: ['contains', 'truthy', 'falsy'],
  phone: ['eq', 'neq', 'truthy', 'falsy'],
  idnumber: ['truthy', 'falsy'],
  number: ['eq', 'neq', 'in', 'gte', 'lte', 'truthy', 'falsy'],
  date: ['eq', 'neq', 'gte', 'lte', 'truthy', 'falsy'],
  select: ['eq', 'neq', 'in', 'truthy', 'falsy'],
  multiselect: ['contains', 'truthy', 'falsy'],
  boolean: ['eq', 'truthy', 'falsy'],
};

export const NO_VALUE_OPS: readonly RoutingOp[] = ['truthy', 'falsy'];

export const BOXES = ['pending', 'accepted', 'closed', 'rejected', 'oversight', 'all'] as const;
export type InboxTab = (typeof BOXES)[number];

export const RESULTS = ['resolved', 'referred', 'unfounded', 'other'] as const;
export type DispatchResult = (typeof RESULTS)[number];

export type DispatchStatus = 'pending' | 'accepted' | 'closed' | 'rejected';

// ---- shapes -----------------------------------------------------------------------------------------------------

export interface RoutingCondition {
  field: string;
  op: RoutingOp;
  value?: unknown;
}

export interface Rule {
  id: string;
  name: string;
  itemTypeCode: string;
  itemTypeName: string;
  conditions: RoutingCondition[];
  conditionsText: string;
  targetKind: 'department' | 'officer';
  departmentId: string | null;
  departmentName: string | null;
  targetName: string;
  departmentActive: boolean;
  acceptHours: number;
  escalateToDepartmentId: string | null;
  escalateToDepartmentName: string | null;
  priority: number;
  status: 'active' | 'inactive';
  dispatchCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface RuleInput {
  name: string;
  itemTypeCode: string;
  conditions: RoutingCondition[];
  targetKind: 'department' | 'officer';
  departmentId?: string | null;
  acceptHours: number;
  escalateToDepartmentId?: string | null;
  priority?: number;
  status?: 'active' | 'inactive';
}

export interface RuleMatch {
  ruleId: string;
  name: string;
  priority: number;
  acceptHours: number;
  target: { kind: 'department' | 'officer'; departmentId: string | null; name: string };
}

export interface ItemTypeRef {
  id: string;
  code: string;
  categoryCode: string;
  categoryName: string;
  name: string;
  formSchema: FormSchema;
  status: 'active' | 'inactive';
}

export interface DispatchSummary {
  id: string;
  status: DispatchStatus;
  statusName: string;
  targetKind: 'department' | 'officer';
  departmentId: string | null;
  ownerName: string;
  ruleName: string | null;
  escalationLevel: number;
  escalateToName: string | null;
  acceptDueAt: string;
  overdue: boolean;
  createdAt: string;
  acceptedAt: string | null;
  closedAt: string | null;
  result: DispatchResult | null;
  orgUnitName: string;
  canHandle: boolean;
  item: { id: string; typeCode: string; typeName: string; status: string; occurredAt: string; address: string | null; workerName: string | null };
}

export interface OtherDispatch {
  id: string;
  targetKind: 'department' | 'officer';
  ownerName: string;
  status: DispatchStatus;
  escalationLevel: number;
  feedback: string | null;
  rejectReason: string | null;
}

export interface DispatchDetail extends Omit<DispatchSummary, 'item'> {
  feedback: string | null;
  rejectReason: string | null;
  acceptedByName: string | null;
  closedByName: string | null;
  resultName: string | null;
  item: {
    id: string;
    typeCode: string;
    typeName: string;
    categoryCode: string;
    categoryName: string;
    status: string;
    note: string | null;
    lng: number | null;
    lat: number | null;
    occurredAt: string;
    receivedAt: string;
    fields: Array<{ key: string; label: string; type: string; value: unknown; text: string }>;
    photos: Array<{ id: string; url: string }>;
    address: { id: string; fullText: string | null } | null;
    orgUnit: { id: string; name: string };
    worker: { id: string; name: string; phone: string | null };
  } | null;
  timeline: Array<{ id: string; action: string; actionName: string; actorName: string | null; note: string | null; at: string }>;
  otherDispatches: OtherDispatch[];
}

export interface StatsRow {
  departmentId: string | null;
  targetKind: 'department' | 'officer';
  ownerName: string;
  received: number;
  accepted: number;
  closed: number;
  rejected: number;
  pending: number;
  overdue: number;
  escalated: number;
  medianAcceptHours: number | null;
  medianCloseHours: number | null;
}

export interface Stats {
  from: string;
  to: string;
  unitId: string | null;
  rows: StatsRow[];
}

// ---- queries ----------------------------------------------------------------------------------------------------

export const routingKeys = {
  rules: ['field-routing', 'rules'] as const,
  itemTypes: ['field-routing', 'item-types'] as const,
  inbox: (params: unknown) => ['field-routing', 'dispatches', 'list', params] as const,
  dispatch: (id: string) => ['field-routing', 'dispatches', 'detail', id] as const,
  stats: (params: unknown) => ['field-routing', 'stats', params] as const,
};

export function useRules() {
  return useQuery({ queryKey: routingKeys.rules, queryFn: () => api.get<Rule[]>('/routing-rules') });
}

export function useItemTypes() {
  return useQuery({ queryKey: routingKeys.itemTypes, queryFn: () => api.get<ItemTypeRef[]>('/field/item-types'), staleTime: 60_000 });
}

export function useSaveRule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: RuleInput }) => (id ? api.put<Rule>(`/routing-rules/${id}`, body) : api.post<Rule>('/routing-rules', body)),
    onSuccess: () => void qc.invalidateQueries({ queryKey: routingKeys.rules }),
  });
}

export function useDeleteRule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/routing-rules/${id}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: routingKeys.rules }),
  });
}

export function useTestRules() {
  return useMutation({ mutationFn: (body: { itemTypeCode: string; data: Record<string, unknown> }) => api.post<{ matches: RuleMatch[] }>('/routing-rules/test', body) });
}

export interface InboxParams {
  tab: InboxTab;
  overdue?: boolean;
  page: number;
  pageSize: number;
}

/** A tab of the inbox as the server's query: oversight and all are boxes of their own, the rest filter my inbox by status. */
export function inboxQuery(p: InboxParams) {
  if (p.tab === 'oversight' || p.tab === 'all') return { box: p.tab, page: p.page, pageSize: p.pageSize };
  return { box: 'inbox', status: p.tab, overdue: p.overdue || undefined, page: p.page, pageSize: p.pageSize };
}

export function useInbox(p: InboxParams) {
  return useQuery({
    queryKey: routingKeys.inbox(p),
    queryFn: () => api.get<Page<DispatchSummary>>('/dispatches', inboxQuery(p)),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
}

/** How many dispatches a tab holds (for the tab badges). */
export function useInboxCount(tab: InboxTab, enabled = true) {
  return useQuery({
    enabled,
    queryKey: routingKeys.inbox({ count: tab }),
    queryFn: () => api.get<Page<DispatchSummary>>('/dispatches', inboxQuery({ tab, page: 1, pageSize: 1 })),
    select: (d) => d.total,
    refetchInterval: 60_000,
  });
}

export function useDispatch(id: string) {
  return useQuery({ queryKey: routingKeys.dispatch(id), queryFn: () => api.get<DispatchDetail>(`/dispatches/${id}`), enabled: !!id });
}

export function useDispatchActions(id: string) {
  const qc = useQueryClient();
  const settle = (d: DispatchDetail) => {
    qc.setQueryData(routingKeys.dispatch(id), d);
    void qc.invalidateQueries({ queryKey: ['field-routing', 'dispatches', 'list'] });
    void qc.invalidateQueries({ queryKey: ['field-routing', 'stats'] });
  };
  const path = `/dispatches/${id}`;
  return {
    accept: useMutation({ mutationFn: () => api.post<DispatchDetail>(`${path}/accept`), onSuccess: settle }),
    note: useMutation({ mutationFn: (note: string) => api.post<DispatchDetail>(`${path}/note`, { note }), onSuccess: settle }),
    close: useMutation({ mutationFn: (b: { result: DispatchResult; feedback: string }) => api.post<DispatchDetail>(`${path}/close`, b), onSuccess: settle }),
    reject: useMutation({ mutationFn: (reason: string) => api.post<DispatchDetail>(`${path}/reject`, { reason }), onSuccess: settle }),
  };
}

export function useDispatchStats(p: { unitId?: string; from?: string; to?: string }) {
  return useQuery({ queryKey: routingKeys.stats(p), queryFn: () => api.get<Stats>('/dispatches/stats', p), placeholderData: keepPreviousData });
}
