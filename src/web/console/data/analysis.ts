// 热点分析与巡防 (docs/api-command.md "Analysis" and "Patrols"): hot spots, hours, trend, categories; "1+3" plans,
// patrols with check-ins, volunteer teams with members, shifts and points.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api';
import type { Page } from '../../shared/types';

// ---- analysis ---------------------------------------------------------------------------------------------------

export type Verdict = 'up' | 'down' | 'noise' | 'too_few';

export interface Change {
  current: number;
  previous: number;
  change: number;
  rate: number | null;
  z: number | null;
  verdict: Verdict;
}

export interface PeriodInfo {
  from: string;
  to: string;
  days: number;
  previous: { from: string; to: string };
  lastYear: { from: string; to: string };
}

export interface Totals {
  count: number;
  mom: Change;
  yoy: Change;
}

export interface AnalysisFilter {
  from: string;
  to: string;
  categoryId?: string;
  unitId?: string;
}

export type HotspotBy = 'cell' | 'grid' | 'community';

export interface HotspotItem {
  rank: number;
  key: string | null;
  label: string;
  lat: number | null;
  lng: number | null;
  gridName?: string | null;
  count: number;
  share: number;
  mom: Change;
  yoy: Change;
}

export interface Hotspots {
  period: PeriodInfo;
  by: HotspotBy;
  res: number | null;
  totals: Totals;
  places: number;
  items: HotspotItem[];
}

export interface Hours {
  period: PeriodInfo;
  totals: Totals;
  counts: number[];
  previous: number[];
  lastYear: number[];
  matrix: number[][];
  byHour: number[];
  peaks: Array<{ how: number; label: string; count: number }>;
}

export interface TrendBucket {
  key: string;
  from: string;
  to: string;
  label: string;
  count: number;
  previous: number;
  lastYear: number;
}

export interface Trend {
  period: PeriodInfo;
  interval: 'day' | 'week' | 'month';
  totals: Totals;
  series: TrendBucket[];
}

export interface CategoryShare {
  id: string;
  code: string;
  name: string;
  count: number;
  share: number;
  mom: Change;
  yoy: Change;
}

export interface IncidentCategory {
  id: string;
  code: string;
  name: string;
  status?: string;
  children?: IncidentCategory[];
}

const clean = (f: AnalysisFilter) => ({ from: f.from, to: f.to, categoryId: f.categoryId, unitId: f.unitId });

export function useHotspots(f: AnalysisFilter, by: HotspotBy, res: number, limit: number) {
  return useQuery({
    queryKey: ['analysis', 'hotspots', f, by, res, limit],
    queryFn: () => api.get<Hotspots>('/analysis/hotspots', { ...clean(f), by, res: by === 'cell' ? res : undefined, limit }),
    placeholderData: keepPreviousData,
  });
}

export function useHours(f: AnalysisFilter) {
  return useQuery({ queryKey: ['analysis', 'hours', f], queryFn: () => api.get<Hours>('/analysis/hours', clean(f)), placeholderData: keepPreviousData });
}

export function useTrend(f: AnalysisFilter, interval: 'day' | 'week' | 'month') {
  return useQuery({ queryKey: ['analysis', 'trend', f, interval], queryFn: () => api.get<Trend>('/analysis/trend', { ...clean(f), interval }), placeholderData: keepPreviousData });
}

export function useCategoryShares(f: AnalysisFilter) {
  return useQuery({
    queryKey: ['analysis', 'categories', f],
    queryFn: () => api.get<{ period: PeriodInfo; totals: Totals; items: CategoryShare[] }>('/analysis/categories', clean(f)),
    placeholderData: keepPreviousData,
  });
}

export function useIncidentCategories() {
  return useQuery({ queryKey: ['incident-categories'], queryFn: () => api.get<IncidentCategory[]>('/incident-categories'), staleTime: 300_000 });
}

// ---- plans ------------------------------------------------------------------------------------------------------

export type PatrolMode = 'video' | 'patrol' | 'volunteer';
export const PATROL_MODES: readonly PatrolMode[] = ['video', 'patrol', 'volunteer'];

export interface Coverage {
  slots: number;
  due: number;
  covered: number;
  rate: number;
  rateDue: number | null;
}

export interface PlanItem {
  id: string;
  mode: PatrolMode;
  rank: number;
  h3: string;
  gridId: string | null;
  gridName: string | null;
  label: string;
  lat: number;
  lng: number;
  hours: number[];
  hoursText: string;
  incidents: number;
  score: number;
  reason: string;
  cameraIds: string[];
  cameraCount: number;
  team: { id: string; name: string } | null;
  coverage: Coverage;
  coveredHours: number[];
}

export interface PlanHead {
  id: string;
  unit: { id: string; name: string };
  weekStart: string;
  weekEnd: string;
  basisFrom: string;
  basisTo: string;
  basisDays: number | null;
  generatedAt: string;
  generatedBy: string | null;
  coverage: Coverage;
  byMode: Record<PatrolMode, { items: number; coverage: Coverage }>;
}

export interface PlanSummary extends PlanHead {
  itemCount: number;
}

export interface Plan extends PlanHead {
  items: Record<PatrolMode, PlanItem[]>;
}

export function usePlans(unitId: string | undefined, page: number, pageSize = 20) {
  return useQuery({
    queryKey: ['patrol-plans', 'list', unitId, page, pageSize],
    queryFn: () => api.get<Page<PlanSummary>>('/patrol-plans', { unitId, page, pageSize }),
    placeholderData: keepPreviousData,
  });
}

export function usePlan(id: string | undefined) {
  return useQuery({ queryKey: ['patrol-plans', 'detail', id], queryFn: () => api.get<Plan>(`/patrol-plans/${id}`), enabled: !!id });
}

export function useGeneratePlan() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { unitId?: string; weekStart?: string }) => api.post<Plan>('/patrol-plans', body),
    onSuccess: (plan) => {
      qc.setQueryData(['patrol-plans', 'detail', plan.id], plan);
      void qc.invalidateQueries({ queryKey: ['patrol-plans', 'list'] });
    },
  });
}

// ---- patrols ----------------------------------------------------------------------------------------------------

export interface PatrolSummary {
  id: string;
  unit: { id: string; name: string };
  mode: PatrolMode;
  modeName: string;
  planItem: { id: string; label: string | null; mode: PatrolMode | null } | null;
  route: { id: string; name: string } | null;
  team: { id: string; name: string } | null;
  shiftId: string | null;
  startedAt: string;
  endedAt: string | null;
  open: boolean;
  note: string | null;
  createdBy: { id: string; name: string };
  checkinCount: number;
}

export interface Checkin {
  id: string;
  clientId: string | null;
  at: string;
  lat: number;
  lng: number;
  h3: string;
  how: number;
  note: string | null;
  outsideArea: boolean;
}

export interface PatrolDetail extends PatrolSummary {
  checkins: Checkin[];
  outsideCount: number;
}

export interface PatrolFilter {
  unitId?: string;
  mode?: PatrolMode;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

export function usePatrols(f: PatrolFilter) {
  return useQuery({ queryKey: ['patrols', 'list', f], queryFn: () => api.get<Page<PatrolSummary>>('/patrols', { ...f }), placeholderData: keepPreviousData });
}

export function usePatrol(id: string | undefined) {
  return useQuery({ queryKey: ['patrols', 'detail', id], queryFn: () => api.get<PatrolDetail>(`/patrols/${id}`), enabled: !!id });
}

export interface StartPatrolBody {
  unitId?: string;
  mode: PatrolMode;
  planItemId?: string;
  teamId?: string;
  startedAt?: string;
  note?: string;
}

export function useStartPatrol() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: StartPatrolBody) => api.post<PatrolDetail>('/patrols', body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['patrols'] }),
  });
}

export function useCheckin(patrolId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { clientId: string; at: string; lat: number; lng: number; note?: string }) => api.post<Checkin & { duplicate: boolean }>(`/patrols/${patrolId}/checkins`, body),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['patrols'] });
      void qc.invalidateQueries({ queryKey: ['patrol-plans'] });
    },
  });
}

export function useEndPatrol(patrolId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { endedAt?: string; note?: string }) => api.post<PatrolDetail>(`/patrols/${patrolId}/end`, body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['patrols'] }),
  });
}

// ---- teams ------------------------------------------------------------------------------------------------------

export type TeamKind = 'yiwu' | 'hongxiubiao' | 'other';
export const TEAM_KINDS: readonly TeamKind[] = ['yiwu', 'hongxiubiao', 'other'];

export interface Team {
  id: string;
  unit: { id: string; name: string };
  name: string;
  kind: TeamKind;
  kindName: string;
  leaderName: string | null;
  leaderPhone: string | null;
  note: string | null;
  status: 'active' | 'inactive';
  memberCount: number;
  points: number;
  shiftsThisMonth: number;
}

export interface Member {
  id: string;
  teamId: string;
  name: string;
  phone: string | null;
  joinedOn: string;
  points: number;
  status: 'active' | 'left';
}

export interface Shift {
  id: string;
  teamId: string;
  planItem: { id: string; label: string | null } | null;
  startsAt: string;
  endsAt: string;
  hours: number;
  area: string;
  status: 'planned' | 'done' | 'cancelled';
  members: Array<{ memberId: string; name: string; attended: boolean | null; points: number; recordedAt: string | null }>;
}

export interface TeamDetail extends Team {
  members: Member[];
  shifts: Shift[];
}

export interface LedgerEntry {
  id: string;
  shiftId: string | null;
  shiftStartsAt: string | null;
  points: number;
  reason: string;
  createdAt: string;
  createdBy: string | null;
}

export interface RankingRow {
  rank: number;
  memberId: string;
  name: string;
  status: string;
  team: { id: string; name: string };
  unitName: string;
  monthPoints: number;
  monthShifts: number;
  totalPoints: number;
}

export function useTeams(unitId?: string) {
  return useQuery({ queryKey: ['patrol-teams', 'list', unitId], queryFn: () => api.get<{ items: Team[]; total: number }>('/patrol-teams', { unitId }) });
}

export function useTeam(id: string | undefined) {
  return useQuery({ queryKey: ['patrol-teams', 'detail', id], queryFn: () => api.get<TeamDetail>(`/patrol-teams/${id}`), enabled: !!id });
}

export function useRanking(unitId: string | undefined, month: string) {
  return useQuery({ queryKey: ['patrol-teams', 'ranking', unitId, month], queryFn: () => api.get<{ month: string; items: RankingRow[] }>('/patrol-teams/ranking', { unitId, month }) });
}

export function useLedger(memberId: string | undefined, page: number) {
  return useQuery({
    queryKey: ['patrol-teams', 'ledger', memberId, page],
    queryFn: () => api.get<Page<LedgerEntry> & { member: { id: string; name: string; points: number; teamName: string } }>(`/patrol-team-members/${memberId}/points`, { page, pageSize: 10 }),
    enabled: !!memberId,
    placeholderData: keepPreviousData,
  });
}

export interface TeamBody {
  orgUnitId: string;
  name: string;
  kind: TeamKind;
  leaderName?: string | null;
  leaderPhone?: string | null;
  note?: string | null;
  status?: 'active' | 'inactive';
}

/** Every team write refreshes the team lists, the detail and the ranking. */
function useTeamWrite<A, R>(fn: (a: A) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => void qc.invalidateQueries({ queryKey: ['patrol-teams'] }) });
}

export const useSaveTeam = () => useTeamWrite(({ id, body }: { id?: string; body: TeamBody }) => (id ? api.put<Team>(`/patrol-teams/${id}`, body) : api.post<Team>('/patrol-teams', body)));

export const useSaveMember = () =>
  useTeamWrite(({ teamId, id, body }: { teamId: string; id?: string; body: { name: string; phone?: string; joinedOn?: string; status?: 'active' | 'left' } }) =>
    id ? api.put<Member>(`/patrol-team-members/${id}`, body) : api.post<Member>(`/patrol-teams/${teamId}/members`, body),
  );

export const useCreateShift = () =>
  useTeamWrite(({ teamId, body }: { teamId: string; body: { startsAt: string; endsAt: string; area: string; memberIds: string[]; planItemId?: string } }) => api.post<Shift>(`/patrol-teams/${teamId}/shifts`, body));

export const useAttendance = () => useTeamWrite(({ shiftId, members }: { shiftId: string; members: Array<{ memberId: string; attended: boolean }> }) => api.post<Shift>(`/patrol-shifts/${shiftId}/attendance`, { members }));

export const useAdjustPoints = () => useTeamWrite(({ memberId, points, reason }: { memberId: string; points: number; reason: string }) => api.post<{ total: number }>(`/patrol-team-members/${memberId}/points`, { points, reason }));
