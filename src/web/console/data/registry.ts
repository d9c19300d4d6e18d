// 一标三实 registry: types and queries for standard addresses and plates.
import { useQuery } from '@tanstack/react-query';
import { api } from '../../shared/api';
import type { OrgTreeNode, Page } from '../../shared/types';

export type AddressLevel = 'road' | 'village' | 'group' | 'door' | 'compound' | 'building' | 'unit' | 'floor' | 'room';
export const ADDRESS_LEVELS: readonly AddressLevel[] = [
  'road',
  'village',
  'group',
  'door',
  'compound',
  'building',
  'unit',
  'floor',
  'room',
];
export type AddressStatus = 'active' | 'inactive';
export type PlateSize = 'large' | 'medium' | 'small' | 'label';
export const PLATE_SIZES: readonly PlateSize[] = ['large', 'medium', 'small', 'label'];

/** Levels allowed directly under a grid (top-level elements). */
export const TOP_LEVELS: readonly AddressLevel[] = ['road', 'village'];

/** The levels a child of each level may have (the server's rules table). */
export const CHILD_LEVELS: Record<AddressLevel, readonly AddressLevel[]> = {
  road: ['door'],
  village: ['group', 'door'],
  group: ['door'],
  door: ['compound', 'building', 'room'],
  compound: ['building', 'door'],
  building: ['unit', 'floor', 'room'],
  unit: ['floor', 'room'],
  floor: ['room'],
  room: [],
};

/** Most ids in one print request: longer query strings exceed the server's request-head limit. */
export const PRINT_BATCH = 200;

export interface Plate {
  id: string;
  addressId: string;
  kind: string;
  kindName: string;
  token: string;
  url: string;
  status: 'active' | 'revoked';
  issuedAt: string;
  revokedAt: string | null;
  revokedReason: string | null;
  replacedBy: string | null;
}

export interface Address {
  id: string;
  parentId: string | null;
  level: AddressLevel;
  levelName: string;
  name: string;
  code: string;
  fullText: string;
  gridId: string;
  countyCode: string;
  lng: number | null;
  lat: number | null;
  status: AddressStatus;
  createdAt: string;
  updatedAt: string;
  childCount?: number;
}

export interface AddressAncestor {
  id: string;
  level: AddressLevel;
  levelName: string;
  name: string;
  code: string;
  status: AddressStatus;
}

export interface AddressDetail extends Address {
  ancestors: AddressAncestor[];
  children: { total: number; active: number; byLevel: Partial<Record<AddressLevel, number>> };
  activePlate: Plate | null;
  plates: Plate[];
  statusHistory: { status: AddressStatus; reason: string; changedBy: { id: string; name: string } | null; changedAt: string }[];
}

export interface AddressListParams {
  gridId?: string;
  parentId?: string;
  q?: string;
  level?: AddressLevel;
  status?: AddressStatus;
  page?: number;
  pageSize?: number;
}

export const registryKeys = {
  addresses: ['registry', 'addresses'] as const,
  addressList: (params: AddressListParams) => ['registry', 'addresses', 'list', params] as const,
  addressTop: (gridId: string) => ['registry', 'addresses', 'top', gridId] as const,
  addressChildren: (id: string) => ['registry', 'addresses', 'children', id] as const,
  address: (id: string) => ['registry', 'addresses', 'detail', id] as const,
};

export function useAddressList(params: AddressListParams, enabled = true) {
  return useQuery({
    queryKey: registryKeys.addressList(params),
    queryFn: () => api.get<Page<Address>>('/addresses', { ...params }),
    enabled,
    placeholderData: (prev) => prev,
  });
}

/** The server's largest page. */
const MAX_PAGE = 200;

/** All addresses of one level directly under a grid, page by page. */
async function fetchAllOfLevel(gridId: string, level: AddressLevel): Promise<Address[]> {
  const items: Address[] = [];
  for (let page = 1; ; page += 1) {
    const res = await api.get<Page<Address>>('/addresses', { gridId, level, page, pageSize: MAX_PAGE });
    items.push(...res.items);
    if (res.items.length < MAX_PAGE || items.length >= res.total) return items;
  }
}

/** The top-level elements (roads and villages) of a grid: all of them (a grid has dozens, not thousands). */
export async function fetchTopAddresses(gridId: string): Promise<Address[]> {
  const lists = await Promise.all(TOP_LEVELS.map((level) => fetchAllOfLevel(gridId, level)));
  return lists
    .flat()
    .filter((a) => !a.parentId)
    .sort((a, b) => a.code.localeCompare(b.code));
}

/** Children shown per step in the address tree; a node with more offers 加载更多. */
export const TREE_PAGE = 100;

/** One page of an address's direct children (ordered by code), `TREE_PAGE` at a time. */
export function fetchChildren(id: string, page = 1): Promise<Page<Address>> {
  return api.get<Page<Address>>(`/addresses/${id}/children`, { page, pageSize: TREE_PAGE });
}

/** Levels a person can live at (门牌、楼栋、单元、楼层、户室). */
export const DWELLING_LEVELS: readonly AddressLevel[] = ['door', 'building', 'unit', 'floor', 'room'];

/** A candidate of POST /addresses/match, with its 0–1 score. */
export interface AddressMatch extends Address {
  score: number;
  explain: { elements: number; matched: number; extra: number; e: number; t: number };
}

export interface AddressMatchAnswer {
  query: { text: string; elements: { level: AddressLevel; levelName: string; text: string }[] };
  items: AddressMatch[];
}

/** Free-text matching against the standard addresses of the caller's scope (active addresses only). */
export function matchAddresses(text: string, limit = 10): Promise<AddressMatchAnswer> {
  return api.post<AddressMatchAnswer>('/addresses/match', { text, limit });
}

export function useAddress(id: string | undefined) {
  return useQuery({
    queryKey: registryKeys.address(id ?? ''),
    queryFn: () => api.get<AddressDetail>(`/addresses/${id}`),
    enabled: !!id,
  });
}

/** The grids in the caller's scope, in tree order. */
export function gridsOf(nodes: readonly OrgTreeNode[], into: OrgTreeNode[] = []): OrgTreeNode[] {
  for (const n of nodes) {
    if (n.kind === 'grid') into.push(n);
    if (n.children?.length) gridsOf(n.children, into);
  }
  return into;
}

/** Print-sheet URLs for the ids, in batches of PRINT_BATCH. */
export function printUrls(ids: readonly string[], size: PlateSize): string[] {
  const urls: string[] = [];
  for (let i = 0; i < ids.length; i += PRINT_BATCH) {
    const batch = ids.slice(i, i + PRINT_BATCH).join(',');
    urls.push(`/api/v1/plates/print?addressIds=${batch}&size=${size}`);
  }
  return urls;
}

// 三实 at one address: housing and residents.

export const HOUSING_USES = ['self', 'rent', 'vacant', 'business'] as const;
export type HousingUse = (typeof HOUSING_USES)[number];
export const PROPERTY_TYPES = ['commercial', 'affordable', 'public_rental', 'self_built', 'collective', 'other'] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];
export const RENTAL_REGISTRATIONS = ['registered', 'unregistered', 'expired'] as const;
export type RentalRegistration = (typeof RENTAL_REGISTRATIONS)[number];

export interface PersonRef {
  id: string;
  name: string;
  idNumber: string | null;
  phone: string | null;
}

export interface Housing {
  id: string;
  addressId: string;
  owner: { person: PersonRef | null; name: string | null; phone: string | null };
  propertyType: PropertyType;
  propertyTypeName: string;
  use: HousingUse;
  useName: string;
  groupRental: boolean;
  areaM2: number | null;
  rooms: number | null;
  landlord: PersonRef | null;
  leaseFrom: string | null;
  leaseTo: string | null;
  leaseExpired: boolean;
  rentalRegistration: RentalRegistration | null;
  starRating: number | null;
  updatedAt: string;
}

export interface HousingAnswer {
  address: { id: string; fullText: string };
  housing: Housing | null;
}

export interface Resident {
  residenceId: string;
  personId: string;
  name: string;
  sex: string | null;
  age: number | null;
  idNumber: string | null;
  personType: string;
  relation: string;
  relationName: string;
  fromDate: string;
  toDate: string | null;
}

export interface ResidentsAnswer {
  address: { id: string; fullText: string; lng: number | null; lat: number | null };
  date: string;
  residents: Resident[];
}

/** A search hit of GET /persons (masked). */
export interface PersonHit {
  id: string;
  name: string;
  idNumber?: string | null;
  matchedBy?: string;
}

export const populationKeys = {
  housing: (addressId: string) => ['registry', 'housing', addressId] as const,
  residents: (addressId: string) => ['registry', 'residents', addressId] as const,
};

export function useHousing(addressId: string, enabled = true) {
  return useQuery({
    queryKey: populationKeys.housing(addressId),
    queryFn: () => api.get<HousingAnswer>(`/addresses/${addressId}/housing`),
    enabled,
  });
}

export function useResidents(addressId: string, enabled = true) {
  return useQuery({
    queryKey: populationKeys.residents(addressId),
    queryFn: () => api.get<ResidentsAnswer>(`/addresses/${addressId}/residents`),
    enabled,
  });
}

export function useChildren(addressId: string, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...registryKeys.addressChildren(addressId), page, pageSize] as const,
    queryFn: () => api.get<Page<Address>>(`/addresses/${addressId}/children`, { page, pageSize }),
    placeholderData: (prev) => prev,
  });
}
