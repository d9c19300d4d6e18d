// 情指行: four-colour directives, whistles, their figures, the command settings and console notifications
// (docs/api-command.md "Directives", "Whistles", "Notifications").
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api';
import type { Page } from '../../shared/types';

// ---- vocabularies -------------------------------------------------------------------------------------------

export const LEVELS = ['red', 'orange', 'blue', 'green'] as const;
export type Level = (typeof LEVELS)[number];
/** The four warning colours as the console draws them. */
export const LEVEL_COLORS: Record<Level, string> = { red: '#cf1322', orange: '#fa8c16', blue: '#1677ff', green: '#389e0d' };

export type DirectiveStatus = 'active' | 'closed' | 'withdrawn';
export type TargetStatus = 'issued' | 'signed' | 'reported';
export type WhistleStatus = 'open' | 'reported' | 'confirmed';
export type ResponseStatus = 'pending' | 'acknowledged' | 'acting' | 'reported';

// ---- shapes ---------------------------------------------------------------------------------------------------

export interface Rates {
  targets: number;
  signed: number;
  reported: number;
  onTime: number;
  signRate: number | null;
  feedbackRate: number | null;
  onTimeRate: number | null;
}

export interface DirectiveSummary extends Rates {
  id: string;
  code: string;
  level: Level;
  title: string;
  status: DirectiveStatus;
  issuedAt: string;
  deadline: string;
  issuer: { id: string; name: string; unitName: string };
  incident: { id: string; code: string | null } | null;
  overdueTargets: number;
}

export interface DirectiveTarget {
  id: string;
  kind: 'unit' | 'department';
  orgUnitId: string | null;
  departmentId: string | null;
  name: string;
  unitKind: string | null;
  status: TargetStatus;
  signDueAt: string;
  signedAt: string | null;
  signedBy: string | null;
  reportedAt: string | null;
  reportedBy: string | null;
  feedback: string | null;
  escalationLevel: number;
  signOverdue: boolean;
  feedbackOverdue: boolean;
  canHandle: boolean;
}

export interface CommandEvent {
  id: string;
  at: string;
  action: string;
  note: string | null;
  actor: string | null;
  targetId: string | null;
  targetName?: string | null;
  departmentName?: string | null;
}

export interface DirectiveDetail extends Omit<DirectiveSummary, 'overdueTargets' | 'targets'> {
  content: string;
  actions: string;
  closedAt: string | null;
  closedBy: string | null;
  canManage: boolean;
  targets: DirectiveTarget[];
  events: CommandEvent[];
}

export interface InboxTarget extends DirectiveTarget {
  directive: { id: string; code: string; level: Level; title: string; deadline: string; issuedAt: string; status: DirectiveStatus; issuer: string };
}

export interface DirectiveStats {
  from: string;
  to: string;
  headline: Rates & { directives: number; overdueUnits: number };
  byLevel: Array<Rates & { level: Level; directives: number }>;
  byUnit: Array<Rates & { kind: 'unit' | 'department'; id: string; name: string; overdue: number; lateSign: number }>;
  overdue: Array<{ targetId: string; directiveId: string; code: string; level: Level; title: string; name: string; status: TargetStatus; kind: 'sign' | 'feedback'; signDueAt: string; deadline: string; escalationLevel: number; overdueMinutes: number }>;
}

export interface Scenario {
  id: string;
  code: string;
  name: string;
  description: string | null;
  departmentIds: string[];
  departments: Array<{ id: string; name: string; category: string; status: string }>;
  responseMinutes: number;
  urgent: boolean;
  sort: number;
  builtin: boolean;
  status: 'active' | 'inactive';
}

export interface WhistleResponse {
  id: string;
  departmentId: string;
  departmentName: string;
  round: number;
  status: ResponseStatus;
  dueAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  actedAt: string | null;
  reportedAt: string | null;
  reportedBy: string | null;
  report: string | null;
  overdue: boolean;
  responseMinutes: number | null;
  handlingMinutes: number | null;
  overdueMinutes: number | null;
  mine: boolean;
}

export interface WhistleSummary {
  id: string;
  code: string;
  scenario: { id: string; code: string; name: string; urgent: boolean; responseMinutes: number };
  station: { id: string; name: string };
  title: string;
  description: string;
  incident: { id: string; code: string | null } | null;
  address: { id: string; text: string | null } | null;
  raisedAt: string;
  raisedBy: string;
  round: number;
  status: WhistleStatus;
  confirmedAt: string | null;
  confirmedBy: string | null;
  responses: WhistleResponse[];
}

export interface WhistleDetail extends WhistleSummary {
  earlierRounds: WhistleResponse[];
  events: CommandEvent[];
  canConfirm: boolean;
  canReopen: boolean;
}

export interface InboxResponse extends WhistleResponse {
  whistle: { id: string; code: string; title: string; description: string; scenarioName: string; urgent: boolean; stationName: string; raisedAt: string; raisedBy: string; status: WhistleStatus; round: number };
  current: boolean;
}

export interface WhistleFigures {
  responses: number;
  acknowledged: number;
  reported: number;
  onTime: number;
  medianResponseMinutes: number | null;
  medianHandlingMinutes: number | null;
  overdueNow: number;
}

export interface WhistleStats {
  from: string;
  to: string;
  headline: WhistleFigures & { whistles: number; byStatus: Record<WhistleStatus, number> };
  byDepartment: Array<WhistleFigures & { departmentId: string; name: string }>;
  overdue: Array<{ responseId: string; whistleId: string; code: string; title: string; stationName: string; departmentName: string; dueAt: string; overdueMinutes: number; urgent: boolean }>;
}

export interface CommandSettings {
  map: { tileUrl: string | null; tileAttribution: string | null; ringSpeedKmh: number; ringMinutes: number[] };
  directives: { signMinutes: Record<Level, number>; smsLevels: Level[] };
  patrol: { basisDays: number; pointsPerShift: number; pointsPerHour: number; absencePenalty: number };
}

export interface ConsoleNotification {
  id: string;
  kind: string;
  level: 'urgent' | 'normal';
  title: string;
  body: string;
  link: string | null;
  subjectId: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface NotificationPage extends Page<ConsoleNotification> {
  unread: number;
  unreadUrgent: number;
}

export interface IssueInput {
  level: Level;
  title: string;
  content: string;
  actions: string;
  deadline: string;
  orgUnitIds?: string[];
  departmentIds?: string[];
}

export interface ScenarioInput {
  code: string;
  name: string;
  description?: string | null;
  departmentIds: string[];
  responseMinutes: number;
  urgent: boolean;
  sort?: number;
  status?: 'active' | 'inactive';
}

export interface Period {
  from?: string;
  to?: string;
}

// ---- queries ----------------------------------------------------------------------------------------------------

const K = {
  all: ['command'] as const,
  directives: (q: unknown) => ['command', 'directives', q] as const,
  directive: (id: string) => ['command', 'directive', id] as const,
  inbox: (q: unknown) => ['command', 'directive-inbox', q] as const,
  dstats: (q: unknown) => ['command', 'directive-stats', q] as const,
  scenarios: ['command', 'scenarios'] as const,
  whistles: (q: unknown) => ['command', 'whistles', q] as const,
  whistle: (id: string) => ['command', 'whistle', id] as const,
  winbox: (q: unknown) => ['command', 'whistle-inbox', q] as const,
  wstats: (q: unknown) => ['command', 'whistle-stats', q] as const,
  settings: ['command', 'settings'] as const,
  notifications: ['notifications'] as const,
};

export const notificationsKey = K.notifications;

export function useDirectives(q: { status?: string; level?: string; from?: string; to?: string; page: number; pageSize: number }) {
  return useQuery({ queryKey: K.directives(q), queryFn: () => api.get<Page<DirectiveSummary>>('/directives', q), placeholderData: keepPreviousData });
}

export function useDirective(id: string | undefined) {
  return useQuery({ queryKey: K.directive(id ?? ''), queryFn: () => api.get<DirectiveDetail>(`/directives/${id}`), enabled: !!id });
}

export function useDirectiveInbox(q: { status?: string; page: number; pageSize: number }) {
  return useQuery({ queryKey: K.inbox(q), queryFn: () => api.get<Page<InboxTarget>>('/directive-inbox', q), placeholderData: keepPreviousData, refetchInterval: 60_000 });
}

export function useDirectiveStats(q: Period, enabled = true) {
  return useQuery({ queryKey: K.dstats(q), queryFn: () => api.get<DirectiveStats>('/directives/stats', { ...q }), enabled, placeholderData: keepPreviousData });
}

export function useScenarios() {
  return useQuery({ queryKey: K.scenarios, queryFn: () => api.get<Scenario[]>('/whistle-scenarios'), staleTime: 60_000 });
}

export function useWhistles(q: { status?: string; page: number; pageSize: number }) {
  return useQuery({ queryKey: K.whistles(q), queryFn: () => api.get<Page<WhistleSummary>>('/whistles', q), placeholderData: keepPreviousData, refetchInterval: 60_000 });
}

export function useWhistle(id: string | undefined) {
  return useQuery({ queryKey: K.whistle(id ?? ''), queryFn: () => api.get<WhistleDetail>(`/whistles/${id}`), enabled: !!id, refetchInterval: 60_000 });
}

export function useWhistleInbox(q: { status?: string; page: number; pageSize: number }) {
  return useQuery({ queryKey: K.winbox(q), queryFn: () => api.get<Page<InboxResponse>>('/whistle-inbox', q), placeholderData: keepPreviousData, refetchInterval: 60_000 });
}

export function useWhistleStats(q: Period, enabled = true) {
  return useQuery({ queryKey: K.wstats(q), queryFn: () => api.get<WhistleStats>('/whistles/stats', { ...q }), enabled, placeholderData: keepPreviousData });
}

export function useCommandSettings() {
  return useQuery({ queryKey: K.settings, queryFn: () => api.get<CommandSettings>('/command-settings') });
}

/** Incidents for the whistle form's optional link (read through the incidents API). */
export function useIncidentSearch(q: string, enabled: boolean) {
  return useQuery({
    queryKey: ['command', 'incident-search', q],
    queryFn: () => api.get<Page<{ id: string; code: string; summary?: string; categoryName?: string }>>('/incidents', { q, pageSize: 10 }),
    enabled: enabled && q.trim().length >= 2,
  });
}

// ---- mutations -------------------------------------------------------------------------------------------------

function useCommandMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: K.all }) });
}

export const useIssueDirective = () => useCommandMutation((v: IssueInput) => api.post<DirectiveDetail>('/directives', v));
export const useEndDirective = () => useCommandMutation((v: { id: string; how: 'close' | 'withdraw' }) => api.post<DirectiveDetail>(`/directives/${v.id}/${v.how}`));
export const useSignTarget = () => useCommandMutation((id: string) => api.post<DirectiveDetail>(`/directive-targets/${id}/sign`));
export const useReportTarget = () => useCommandMutation((v: { id: string; feedback: string }) => api.post<DirectiveDetail>(`/directive-targets/${v.id}/report`, { feedback: v.feedback }));
export const useSaveScenario = () =>
  useCommandMutation((v: { id?: string; input: ScenarioInput }) => (v.id ? api.put<Scenario>(`/whistle-scenarios/${v.id}`, v.input) : api.post<Scenario>('/whistle-scenarios', v.input)));
export const useRaiseWhistle = () =>
  useCommandMutation((v: { scenarioId: string; title: string; description: string; incidentId?: string }) => api.post<WhistleDetail>('/whistles', v));
export const useConfirmWhistle = () => useCommandMutation((id: string) => api.post<WhistleDetail>(`/whistles/${id}/confirm`));
export const useReopenWhistle = () => useCommandMutation((v: { id: string; reason: string }) => api.post<WhistleDetail>(`/whistles/${v.id}/reopen`, { reason: v.reason }));
export const useRespond = () =>
  useCommandMutation((v: { id: string; step: 'acknowledge' | 'act' | 'report'; report?: string }) =>
    api.post<WhistleResponse>(`/whistle-responses/${v.id}/${v.step}`, v.step === 'report' ? { report: v.report ?? '' } : undefined),
  );
export const useSaveCommandSettings = () => useCommandMutation((v: Partial<CommandSettings>) => api.put<CommandSettings>('/command-settings', v));

// ---- notifications -----------------------------------------------------------------------------------------------

export function useNotifications(enabled = true) {
  return useQuery({ queryKey: K.notifications, queryFn: () => api.get<NotificationPage>('/notifications', { pageSize: 20 }), enabled });
}

export function useReadNotification() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (id: string) => api.post<ConsoleNotification>(`/notifications/${id}/read`), onSuccess: () => qc.invalidateQueries({ queryKey: K.notifications }) });
}

export function useReadAllNotifications() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: () => api.post<{ updated: number }>('/notifications/read-all'), onSuccess: () => qc.invalidateQueries({ queryKey: K.notifications }) });
}
