// 一标三实 registry: units (实有单位) and their employees.
import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api';
import type { Page } from '../../shared/types';
import type { Employment } from './population';

export const KEY_INDUSTRIES = ['hotel', 'courier', 'ebike', 'precursor_chemical', 'school', 'hospital', 'financial', 'entertainment', 'rental_agency', 'other'] as const;
export type KeyIndustry = (typeof KEY_INDUSTRIES)[number];
export const UNIT_TYPES = ['enterprise', 'individual', 'cooperative', 'government', 'institution', 'social_org', 'other'] as const;
export type UnitType = (typeof UNIT_TYPES)[number];
export type UnitState = 'active' | 'closed';

export interface Unit {
  id: string;
  creditCode: string | null;
  otherRegNo: string | null;
  name: string;
  unitType: UnitType;
  unitTypeName: string;
  keyIndustry: KeyIndustry | null;
  keyIndustryName: string | null;
  address: { id: string; fullText: string; lng?: number | null; lat?: number | null } | null;
  legalRepName: string | null;
  legalRepPersonId?: string | null;
  contactName: string | null;
  contactPhone: string | null;
  status: UnitState;
  orgUnit: { id: string; name: string } | null;
  createdAt?: string;
  updatedAt: string;
}

export interface UnitEmployee extends Omit<Employment, 'unit'> {
  person: { id: string; name: string; sex: string | null; age: number | null; idNumber: string | null };
}

export interface UnitDetail extends Unit {
  legalRep: { personId: string; name: string; idNumber: string | null } | null;
  employees: UnitEmployee[];
}

/** Body of POST /units (PATCH takes the same fields, `null` clearing an optional one, plus `status`). */
export interface UnitBody {
  creditCode?: string | null;
  otherRegNo?: string | null;
  name?: string;
  unitType?: UnitType;
  keyIndustry?: KeyIndustry | null;
  addressId?: string | null;
  legalRepName?: string | null;
  legalRepPersonId?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
  orgUnitId?: string;
  status?: UnitState;
}

export interface UnitListParams {
  q?: string;
  keyIndustry?: string;
  status?: UnitState;
  page: number;
  pageSize: number;
}

export const unitKeys = {
  all: ['registry', 'units'] as const,
  list: (params: UnitListParams) => ['registry', 'units', 'list', params] as const,
  detail: (id: string) => ['registry', 'units', 'detail', id] as const,
};

export function useUnitList(params: UnitListParams) {
  return useQuery({
    queryKey: unitKeys.list(params),
    queryFn: () => api.get<Page<Unit>>('/units', { ...params }),
    placeholderData: (prev) => prev,
  });
}

export function useUnit(id: string | undefined) {
  return useQuery({
    queryKey: unitKeys.detail(id ?? ''),
    queryFn: () => api.get<UnitDetail>(`/units/${id}`),
    enabled: !!id,
  });
}
