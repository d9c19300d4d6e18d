// 网格采集 for staff: task templates, generation, progress and the monthly assessment of grid workers
// (docs/api-field.md "Tasks", "Assessment").
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { api } from '../../shared/api';
import type { Page } from '../../shared/types';

// ---- vocabularies -------------------------------------------------------------------------------------------

export const TARGET_KINDS = ['rental', 'floating_overdue', 'key_unit', 'patrol_point', 'address'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export const RECURRENCES = ['weekly', 'monthly', 'quarterly'] as const;
export type Recurrence = (typeof RECURRENCES)[number];

/** The item type that usually completes each kind of target (proposed when the kind is chosen). */
export const DEFAULT_ITEM_TYPE: Record<TargetKind, string> = {
  rental: 'rental_visit',
  floating_overdue: 'floating_verify',
  key_unit: 'key_unit_check',
  patrol_point: 'patrol_checkin',
  address: 'home_visit',
};

/** The usual rhythm of each kind of target (proposed for a new template). */
export const DEFAULT_RECURRENCE: Record<TargetKind, Recurrence> = {
  rental: 'monthly',
  floating_overdue: 'monthly',
  key_unit: 'quarterly',
  patrol_point: 'weekly',
  address: 'monthly',
};

export const PROGRESS_LEVELS = ['community', 'grid', 'worker'] as const;
export type ProgressLevel = (typeof PROGRESS_LEVELS)[number];

export const WEIGHT_PARTS = ['onTime', 'collected', 'verified', 'timely'] as const;

// ---- shapes ---------------------------------------------------------------------------------------------------

export interface TemplateCounts {
  total: number;
  done: number;
  open: number;
  overdue: number;
  unassigned: number;
}

export interface TaskTemplate {
  id: string;
  orgUnitId: string;
  orgUnitName: string;
  orgUnitKind: string;
  name: string;
  itemTypeCode: string;
  itemTypeName: string;
  targetKind: TargetKind;
  targetKindName: string;
  recurrence: Recurrence;
  recurrenceName: string;
  pointIds: string[];
  points: Array<{ id: string; fullText: string | null }>;
  status: 'active' | 'paused';
  editable: boolean;
  currentPeriod: string;
  counts: TemplateCounts;
  createdAt: string;
  updatedAt: string;
}

export interface TemplateBody {
  orgUnitId: string;
  name: string;
  itemTypeCode: string;
  targetKind: TargetKind;
  recurrence: Recurrence;
  pointIds?: string[];
  status?: 'active' | 'paused';
}

export interface GenerateResult {
  period: string;
  created: number;
  existing: number;
  unassigned: number;
  workers: number;
  cancelled: number;
}

export interface Task {
  id: string;
  templateId: string;
  templateName: string;
  period: string;
  title: string;
  itemTypeCode: string;
  itemTypeName: string;
  targetKind: TargetKind;
  targetId: string;
  address: { id: string; fullText: string | null } | null;
  gridId: string;
  gridName: string;
  workerId: string | null;
  workerName: string | null;
  dueDate: string;
  status: 'open' | 'done' | 'cancelled';
  overdue: boolean;
  doneAt: string | null;
  doneItemId: string | null;
  onTime: boolean | null;
  createdAt: string;
}

export interface ProgressRow {
  id: string | null;
  name: string;
  total: number;
  done: number;
  doneOnTime: number;
  open: number;
  overdue: number;
  rate: number;
}

export interface Weights {
  onTime: number;
  collected: number;
  verified: number;
  timely: number;
  collectedCap: number;
  verifiedCap: number;
  returnPenalty: number;
  returnPenaltyCap: number;
}

export interface WorkerFigures {
  workerId: string;
  name: string;
  username: string;
  orgUnitId: string;
  orgUnitName: string;
  month: string;
  tasksDue: number;
  tasksOnTime: number;
  onTimeRate: number | null;
  itemsCollected: number;
  items: number;
  changes: number;
  recordsVerified: number;
  timelyRate: number | null;
  returned: number;
  score: number;
  parts: { onTime: number; collected: number; verified: number; timely: number; deduction: number };
  rank: number | null;
}

export interface ItemTypeRef {
  id: string;
  code: string;
  name: string;
  categoryCode: string;
  categoryName?: string;
  status: 'active' | 'inactive';
}

// ---- periods (Asia/Shanghai days, as the server counts them) -------------------------------------------------

/** `YYYY-MM` of a dayjs value. */
export const monthOf = (d: dayjs.Dayjs) => d.format('YYYY-MM');

/** The ISO week `2026-W47` of a day. */
export function isoWeekOf(d: dayjs.Dayjs): string {
  const dow = (d.day() + 6) % 7; // Monday = 0
  const thursday = d.add(3 - dow, 'day');
  const year = thursday.year();
  const jan1 = dayjs(`${year}-01-01`);
  const week = 1 + Math.floor(thursday.diff(jan1, 'day') / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The quarter `2026-Q4` of a day. */
export const quarterOf = (d: dayjs.Dayjs) => `${d.year()}-Q${Math.floor(d.month() / 3) + 1}`;

/** A 0–1 rate as a whole percentage, or null. */
export const pct = (rate: number | null | undefined) => (rate == null ? null : Math.round(rate * 1000) / 10);

// ---- queries --------------------------------------------------------------------------------------------------

export const tasksKeys = {
  all: ['field-tasks'] as const,
  templates: (unitId?: string) => ['field-tasks', 'templates', unitId ?? ''] as const,
  list: (params: unknown) => ['field-tasks', 'list', params] as const,
  progress: (params: unknown) => ['field-tasks', 'progress', params] as const,
  assessment: (params: unknown) => ['field-tasks', 'assessment', params] as const,
  weights: ['field-tasks', 'weights'] as const,
  itemTypes: ['field-tasks', 'item-types'] as const,
};

export function useTemplates(unitId?: string) {
  return useQuery({ queryKey: tasksKeys.templates(unitId), queryFn: () => api.get<TaskTemplate[]>('/task-templates', { unitId }), placeholderData: keepPreviousData });
}

export function useSaveTemplate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: TemplateBody }) =>
      id ? api.put<TaskTemplate>(`/task-templates/${encodeURIComponent(id)}`, body) : api.post<TaskTemplate>('/task-templates', body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: tasksKeys.all }),
  });
}

export function useGenerate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, period }: { id: string; period?: string }) => api.post<GenerateResult>(`/task-templates/${encodeURIComponent(id)}/generate`, period ? { period } : {}),
    onSuccess: () => void qc.invalidateQueries({ queryKey: tasksKeys.all }),
  });
}

export interface TaskListParams {
  period?: string;
  unitId?: string;
  workerId?: string;
  status?: 'open' | 'done' | 'overdue';
  page: number;
  pageSize: number;
}

export function useTaskList(params: TaskListParams, enabled = true) {
  return useQuery({ queryKey: tasksKeys.list(params), queryFn: () => api.get<Page<Task>>('/tasks', { ...params }), placeholderData: keepPreviousData, enabled });
}

export function useProgress(params: { period: string; unitId?: string; level: ProgressLevel }) {
  return useQuery({ queryKey: tasksKeys.progress(params), queryFn: () => api.get<ProgressRow[]>('/tasks/progress', { ...params }), placeholderData: keepPreviousData });
}

export function useAssessment(params: { month: string; unitId?: string }) {
  return useQuery({ queryKey: tasksKeys.assessment(params), queryFn: () => api.get<WorkerFigures[]>('/assessment/field', { ...params }), placeholderData: keepPreviousData });
}

export function useWeights(enabled = true) {
  return useQuery({ queryKey: tasksKeys.weights, queryFn: () => api.get<Weights>('/assessment/field/weights'), enabled });
}

export function useSaveWeights() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Weights) => api.put<Weights>('/assessment/field/weights', body),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: tasksKeys.weights });
      void qc.invalidateQueries({ queryKey: ['field-tasks', 'assessment'] });
    },
  });
}

/** The item types (all of them; the drawer offers the active ones). */
export function useItemTypes() {
  return useQuery({ queryKey: tasksKeys.itemTypes, queryFn: () => api.get<ItemTypeRef[]>('/field/item-types'), staleTime: 300_000 });
}
