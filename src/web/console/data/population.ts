// 一标三实 registry: persons (实有人口), their page and the locate answer.
import { useQuery } from '@tanstack/react-query';
import { api, isApiError, type ApiError } from '../../shared/api';
import type { Page } from '../../shared/types';
import type { Resident } from './registry';

export const PERSON_TYPES = ['registered', 'floating', 'overseas'] as const;
export type PersonType = (typeof PERSON_TYPES)[number];

/** Relation to the householder (与户主关系). */
export const RELATIONS = ['householder', 'spouse', 'child', 'parent', 'grandchild', 'grandparent', 'sibling', 'relative', 'tenant', 'roommate', 'employee', 'other'] as const;
export type Relation = (typeof RELATIONS)[number];

export interface PersonListItem {
  id: string;
  name: string;
  sex: string | null;
  age: number | null;
  idNumber: string | null;
  personType: string;
  phone: string | null;
  orgUnit: { id: string; name: string } | null;
  currentAddress: string | null;
  matchedBy?: string;
}

export interface Person {
  id: string;
  name: string;
  namePinyin: string;
  nameInitials: string;
  personType: string;
  personTypeName: string;
  idKind: string;
  idNumber: string | null;
  idMasked: boolean;
  sex: string | null;
  age: number | null;
  birthDate: string | null;
  ethnicity: string | null;
  phone: string | null;
  hukouAddress: string | null;
  nationality: string | null;
  passportNo: string | null;
  passportExpiry?: string | null;
  floatingRegisteredOn?: string | null;
  expectedStayUntil?: string | null;
  permitIssuedOn?: string | null;
  permitEndorsement?: { anniversary: string; windowFrom: string; windowTo: string } | null;
  idLegacy?: boolean;
  orgUnit: { id: string; name: string } | null;
  createdAt: string;
  updatedAt: string;
}

/** Body of POST /persons. */
export interface PersonCreateBody {
  name: string;
  personType: PersonType;
  idNumber?: string;
  phone?: string;
  ethnicity?: string;
  hukouAddress?: string;
  nationality?: string;
  passportNo?: string;
  passportExpiry?: string;
  floatingRegisteredOn?: string;
  expectedStayUntil?: string;
  permitIssuedOn?: string;
  orgUnitId?: string;
  residence?: { addressId: string; relation: Relation; fromDate: string };
  /** Generated once per opened form: a repeated submission returns the first result. */
  clientId: string;
}

/** Body of PATCH /persons/{id}: only the changed fields; `null` clears an optional one. */
export type PersonPatchBody = Partial<{
  name: string;
  personType: PersonType;
  idNumber: string;
  phone: string | null;
  ethnicity: string | null;
  hukouAddress: string | null;
  nationality: string | null;
  passportNo: string | null;
  passportExpiry: string | null;
  floatingRegisteredOn: string | null;
  expectedStayUntil: string | null;
  permitIssuedOn: string | null;
  orgUnitId: string;
}>;

export interface ResidenceAddress {
  id: string;
  fullText: string;
  lng: number | null;
  lat: number | null;
  grid: { id: string; name: string } | null;
}

export interface Residence {
  id: string;
  relation: string;
  relationName: string;
  fromDate: string;
  toDate: string | null;
  current: boolean;
  address: ResidenceAddress;
}

export interface Employment {
  id: string;
  unit: { id: string; name: string; keyIndustry: string | null; address: string | null };
  role: string | null;
  fromDate: string;
  toDate: string | null;
  current: boolean;
}

export interface AccessRow {
  seq: number;
  at: string;
  actorName: string | null;
  actorRole: string | null;
  action: string;
  purpose: string | null;
  crossJurisdiction: boolean;
}

export interface PersonPage {
  person: Person;
  crossJurisdiction: boolean;
  residences: Residence[];
  household: Resident[];
  employment: Employment[];
  recentAccess?: AccessRow[] | null;
}

export interface LocateAnswer {
  person: Person;
  crossJurisdiction: boolean;
  current: Residence | null;
  coResidents: Resident[];
  pastResidences: Residence[];
  employers: Employment[];
}

export interface GeoPolygon {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: number[][][] | number[][][][];
}

export const personKeys = {
  all: ['registry', 'persons'] as const,
  list: (params: unknown) => ['registry', 'persons', 'list', params] as const,
  pick: (q: string) => ['registry', 'persons', 'pick', q] as const,
  page: (id: string, full: string | null) => ['registry', 'persons', 'page', id, full] as const,
};

export function usePersonSearch(params: { q?: string; page: number; pageSize: number }) {
  return useQuery({
    queryKey: personKeys.list(params),
    queryFn: () => api.get<Page<PersonListItem>>('/persons', { ...params }),
    placeholderData: (prev) => prev,
  });
}

/** The person page; `fullPurpose` asks for the full identity number with that purpose. */
export function usePersonPage(id: string, fullPurpose: string | null) {
  return useQuery({
    queryKey: personKeys.page(id, fullPurpose),
    queryFn: () =>
      api.get<PersonPage>(`/persons/${id}`, fullPurpose ? { full: 1, purpose: fullPurpose } : undefined),
    placeholderData: (prev) => prev,
  });
}

/** The boundary polygon of an org unit (a grid), if it has one. */
export function useUnitBoundary(unitId: string | undefined) {
  return useQuery({
    queryKey: ['org', 'unit', unitId ?? ''],
    queryFn: () => api.get<{ id: string; name: string; boundary: GeoPolygon | null }>(`/org/units/${unitId}`),
    enabled: !!unitId,
  });
}

/** A registration refused as a duplicate may name the existing record (only when it is in the caller's jurisdiction). */
export type RegisterError = ApiError & { existingPersonId?: string };

export function existingPersonIdOf(err: unknown): string | undefined {
  const id = (err as { existingPersonId?: unknown } | null)?.existingPersonId;
  return typeof id === 'string' ? id : undefined;
}

/**
 * POST /persons. Like `api.post`, but a problem's `existingPersonId` (a 409 for an identity number already
 * registered inside the jurisdiction) is kept on the thrown error, so the form can link to that record.
 */
export async function registerPerson(body: PersonCreateBody): Promise<Person> {
  try {
    return await api.post<Person>('/persons', body);
  } catch (e) {
    // a duplicate names the existing record when the caller may see it
    if (isApiError(e) && typeof e.extensions.existingPersonId === 'string') (e as RegisterError).existingPersonId = e.extensions.existingPersonId;
    throw e;
  }
}

/** Persons of the jurisdiction for a picker (masked hits, at most 10). Every search is audited, so callers debounce. */
export function usePersonPick(q: string) {
  const term = q.trim();
  return useQuery({
    queryKey: personKeys.pick(term),
    queryFn: () => api.get<Page<PersonListItem>>('/persons', { q: term, pageSize: 10 }),
    enabled: term.length >= 1,
    staleTime: 60_000,
  });
}
