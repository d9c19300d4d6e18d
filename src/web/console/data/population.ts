// 一标三实 registry: persons (实有人口), their page and the locate answer.
import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api';
import type { Page } from '../../shared/types';
import type { Resident } from './registry';

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
  orgUnit: { id: string; name: string } | null;
  createdAt: string;
  updatedAt: string;
}

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
  list: (params: unknown) => ['registry', 'persons', 'list', params] as const,
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
