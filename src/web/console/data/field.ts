// 网格采集 for staff: collected items, review of field changes, direct-change grants, item types as data
// (docs/api-field.md "Item types as data", "Review of field changes", "Items (console)").
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api';
import type { Page } from '../../shared/types';
import type { FormFieldType, FormSchema } from '../../../shared/forms';

// ---- vocabularies -------------------------------------------------------------------------------------------

export const ITEM_STATUSES = ['submitted', 'routed', 'closed', 'returned'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const CHANGE_STATUSES = ['pending', 'conflict', 'applied', 'rejected'] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];

export const CHANGE_KINDS = ['person_add', 'person_update', 'move_out', 'housing_update', 'unit_add', 'unit_update'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** Pending longer than this is overdue (shown in red). */
export const CHANGE_OVERDUE_HOURS = 48;

// ---- shapes ---------------------------------------------------------------------------------------------------

export interface Category {
  code: string;
  name: string;
  sort: number;
  status: 'active' | 'inactive';
  typeCount: number;
}

export interface ItemType {
  id: string;
  code: string;
  categoryCode: string;
  categoryName: string;
  name: string;
  description: string | null;
  formSchema: FormSchema;
  needsAddress: boolean;
  needsPhoto: boolean;
  needsLocation: boolean;
  sort: number;
  builtin: boolean;
  status: 'active' | 'inactive';
  version: number;
  updatedAt: string;
}

export interface ItemTypeBody {
  code?: string;
  categoryCode: string;
  name: string;
  description?: string | null;
  formSchema: FormSchema;
  needsAddress?: boolean;
  needsPhoto?: boolean;
  needsLocation?: boolean;
  sort?: number;
  status?: 'active' | 'inactive';
  version?: number;
}

export interface Ref {
  id: string;
  name: string;
}

export interface ItemSummary {
  id: string;
  typeCode: string;
  typeName: string;
  categoryCode: string;
  categoryName: string;
  status: ItemStatus;
  statusName: string;
  worker: Ref;
  orgUnit: Ref;
  address: { id: string; fullText: string } | null;
  summary: string;
  photoCount: number;
  hasLocation: boolean;
  occurredAt: string;
  receivedAt: string;
  returnReason: string | null;
  correctionOf: string | null;
}

export interface DispatchEvent {
  id: string;
  action: string;
  note: string | null;
  at: string;
  actorName: string | null;
}

export interface ItemDispatch {
  id: string;
  targetKind: 'department' | 'officer';
  departmentId: string | null;
  ownerName: string;
  status: 'pending' | 'accepted' | 'closed' | 'rejected';
  escalationLevel: number;
  acceptDueAt: string;
  acceptedAt: string | null;
  closedAt: string | null;
  result: string | null;
  feedback: string | null;
  rejectReason: string | null;
  events: DispatchEvent[];
}

export interface ItemField {
  key: string;
  label: string;
  type: FormFieldType | string;
  value: unknown;
  display: string;
}

export interface ItemDetail extends ItemSummary {
  typeVersion: number;
  currentTypeVersion: number;
  fields: ItemField[];
  note: string | null;
  photos: Array<{ id: string; url: string }>;
  location: { lng: number; lat: number; accuracyM: number | null } | null;
  taskId: string | null;
  dispatches: ItemDispatch[];
  tasksDone: Array<{ id: string; title: string; templateName: string; period: string; dueDate: string; doneAt: string | null }>;
  returnedAt: string | null;
  returnedByName: string | null;
}

export interface ItemListParams {
  category?: string;
  type?: string;
  status?: ItemStatus;
  workerId?: string;
  unitId?: string;
  from?: string;
  to?: string;
  q?: string;
  page: number;
  pageSize: number;
}

export interface ChangeSummary {
  id: string;
  kind: ChangeKind;
  kindName: string;
  status: ChangeStatus;
  summary: string;
  direct: boolean;
  address: { id: string; fullText: string };
  orgUnit: Ref;
  worker: Ref;
  occurredAt: string;
  receivedAt: string;
  ageHours: number;
  reviewedAt: string | null;
  reviewerName: string | null;
  reviewNote: string | null;
  hasConflict: boolean;
}

export interface ConflictField {
  field: string;
  label: string;
  base: string | null;
  mine: string | null;
  current: string | null;
  changed: boolean;
}

export interface ChangeConflict {
  fields: ConflictField[];
  detectedAt: string;
  currentVersion: string | null;
  message: string;
}

export interface LabelledValue {
  field: string;
  label: string;
  value: string | null;
}

export type ChangeMatch =
  | { inScope: true; personId: string; name: string; idMasked: string | null; currentAddress: string | null; sameAddress: boolean }
  | { inScope: false };

export interface ChangeDetail extends ChangeSummary {
  targetId: string | null;
  baseVersion: string | null;
  note: string | null;
  proposal: LabelledValue[];
  current: { exists: boolean; version: string | null; name: string | null; fields: LabelledValue[] | null; fromDate?: string; toDate?: string | null } | null;
  residents: Array<{ residenceId: string; personId: string; name: string; sex: string | null; age: number | null; idMasked: string | null; relation: string; relationName: string; fromDate: string }>;
  units: Array<{ id: string; name: string; unitType: string; creditCode: string | null; status: string }>;
  conflict: ChangeConflict | null;
  matches: ChangeMatch[];
  result: (Record<string, unknown> & { message?: string; personId?: string; unitId?: string; override?: boolean; applyError?: { message: string } }) | null;
}

export interface ChangeListParams {
  status?: ChangeStatus;
  kind?: ChangeKind;
  workerId?: string;
  unitId?: string;
  page: number;
  pageSize: number;
}

export interface Grant {
  userId: string;
  username: string;
  name: string;
  phone: string | null;
  status: 'active' | 'disabled';
  roles: string[];
  orgUnit: Ref;
  direct: boolean;
  grantedAt: string | null;
  grantedByName: string | null;
  note: string | null;
}

// ---- keys -----------------------------------------------------------------------------------------------------

export const fieldKeys = {
  categories: ['field', 'categories'] as const,
  types: ['field', 'types'] as const,
  itemList: (p: ItemListParams) => ['field', 'items', 'list', p] as const,
  item: (id: string) => ['field', 'items', 'detail', id] as const,
  changeList: (p: ChangeListParams) => ['field', 'changes', 'list', p] as const,
  change: (id: string) => ['field', 'changes', 'detail', id] as const,
  grants: ['field', 'grants'] as const,
};

// ---- item types -------------------------------------------------------------------------------------------------

export function useCategories() {
  return useQuery({ queryKey: fieldKeys.categories, queryFn: () => api.get<Category[]>('/field/categories'), staleTime: 60_000 });
}

export function useItemTypes() {
  return useQuery({ queryKey: fieldKeys.types, queryFn: () => api.get<ItemType[]>('/field/item-types'), staleTime: 60_000 });
}

export function useSaveCategory() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ code, ...body }: { code: string; name: string; sort?: number; status?: 'active' | 'inactive' }) =>
      api.put<Category>(`/field/categories/${encodeURIComponent(code)}`, body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['field', 'categories'] }),
  });
}

export function useSaveItemType() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: ItemTypeBody }) =>
      id ? api.put<ItemType>(`/field/item-types/${encodeURIComponent(id)}`, body) : api.post<ItemType>('/field/item-types', body),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: fieldKeys.types });
      void qc.invalidateQueries({ queryKey: fieldKeys.categories });
    },
  });
}

// ---- items -----------------------------------------------------------------------------------------------------

export function useItemList(params: ItemListParams) {
  return useQuery({
    queryKey: fieldKeys.itemList(params),
    queryFn: () => api.get<Page<ItemSummary>>('/field/items', { ...params }),
    placeholderData: keepPreviousData,
  });
}

/** One item (each read is audited by the server). */
export function useItem(id: string) {
  return useQuery({ queryKey: fieldKeys.item(id), queryFn: () => api.get<ItemDetail>(`/field/items/${encodeURIComponent(id)}`) });
}

export function useReturnItem(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) => api.post<ItemDetail>(`/field/items/${encodeURIComponent(id)}/return`, { reason }),
    onSuccess: (detail) => {
      qc.setQueryData(fieldKeys.item(id), detail);
      void qc.invalidateQueries({ queryKey: ['field', 'items', 'list'] });
    },
  });
}

// ---- changes ------------------------------------------------------------------------------------------------------

export function useChangeList(params: ChangeListParams) {
  return useQuery({
    queryKey: fieldKeys.changeList(params),
    queryFn: () => api.get<Page<ChangeSummary>>('/field/changes', { ...params }),
    placeholderData: keepPreviousData,
  });
}

/** One change beside the registry (each read is audited by the server). */
export function useChange(id: string) {
  return useQuery({ queryKey: fieldKeys.change(id), queryFn: () => api.get<ChangeDetail>(`/field/changes/${encodeURIComponent(id)}`) });
}

export function useChangeActions(id: string) {
  const qc = useQueryClient();
  const path = `/field/changes/${encodeURIComponent(id)}`;
  const settle = (detail?: ChangeDetail) => {
    if (detail) qc.setQueryData(fieldKeys.change(id), detail);
    else void qc.invalidateQueries({ queryKey: fieldKeys.change(id) });
    void qc.invalidateQueries({ queryKey: ['field', 'changes', 'list'] });
  };
  return {
    apply: useMutation({
      mutationFn: (body: { override?: boolean; note?: string }) => api.post<ChangeDetail>(`${path}/apply`, body),
      onSuccess: (d) => {
        settle(d);
        void qc.invalidateQueries({ queryKey: ['registry'] });
      },
      // a conflict found now changed the change: show it
      onError: () => settle(),
    }),
    reject: useMutation({ mutationFn: (reason: string) => api.post<ChangeDetail>(`${path}/reject`, { reason }), onSuccess: settle }),
  };
}

export function useGrants(enabled = true) {
  return useQuery({ queryKey: fieldKeys.grants, queryFn: () => api.get<Grant[]>('/field/grants'), enabled, staleTime: 30_000 });
}

export function useSetGrant() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, direct, note }: { userId: string; direct: boolean; note?: string }) => api.put<Grant>(`/field/grants/${encodeURIComponent(userId)}`, { direct, ...(note ? { note } : {}) }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: fieldKeys.grants }),
  });
}

/** The field photo's address (the server checks who may see it). */
export const photoUrl = (id: string) => `/api/v1/field/attachments/${encodeURIComponent(id)}`;
