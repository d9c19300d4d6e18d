import type { IncidentSource, IncidentStatus } from '../../db/schema.js';
import { maskPhone } from '../../platform/http/schemas.js';
import { maskedIdOf } from '../population/present.js';
import type { IncidentRow } from './repository.js';

export const SOURCE_NAMES: Record<IncidentSource, string> = { '110': '110接处警', walk_in: '来所报警', grid: '网格上报', resident: '群众上报', other: '其他' };
export const STATUS_NAMES: Record<IncidentStatus, string> = { received: '接报', handling: '处置中', diverted: '已分流', closed: '办结' };
export const DIVERSION_STATUS_NAMES = { sent: '待签收', accepted: '已签收', done: '已办结', returned: '已退回' } as const;
export const OPEN_STATUSES: IncidentStatus[] = ['received', 'handling'];

export const isOpen = (s: IncidentStatus) => s === 'received' || s === 'handling';

/** Hours since the incident was reported, one decimal, while it is open; null once cleared. */
export function ageHours(status: IncidentStatus, reportedAt: Date | string, now = Date.now()): number | null {
  if (!isOpen(status)) return null;
  return Math.max(0, Math.round((now - new Date(reportedAt).getTime()) / 360_000) / 10);
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

/** A name shown masked: 张* / 张*明 / 欧阳**. */
export function maskName(name: string | null): string | null {
  if (!name) return null;
  const c = [...name.trim()];
  if (c.length <= 1) return '*';
  if (c.length === 2) return `${c[0]}*`;
  return `${c[0]}${'*'.repeat(c.length - 2)}${c[c.length - 1]}`;
}

/** An incident as a list row: no caller data. */
export function presentIncident(i: IncidentRow, now = Date.now()) {
  return {
    id: i.id,
    code: i.code,
    source: i.source,
    sourceName: SOURCE_NAMES[i.source],
    externalNo: i.external_no,
    category: { id: i.category_id, code: i.category_code, name: i.category_name, parentName: i.category_parent_name, policeMatter: i.category_police },
    occurredAt: iso(i.occurred_at)!,
    reportedAt: iso(i.reported_at)!,
    place: i.place,
    address: i.address_id ? { id: i.address_id, fullText: i.address_text } : null,
    lat: i.lat,
    lng: i.lng,
    orgUnit: { id: i.org_unit_id, name: i.unit_name },
    grid: i.grid_id ? { id: i.grid_id, name: i.grid_name } : null,
    summary: i.summary,
    status: i.status,
    statusName: STATUS_NAMES[i.status],
    ageHours: ageHours(i.status, i.reported_at, now),
    closedAt: iso(i.closed_at),
    version: i.version,
  };
}

export interface LinkRow {
  id: string;
  kind: 'person' | 'address' | 'unit' | 'case';
  target_id: string | null;
  ref: string | null;
  role: string | null;
  note: string | null;
  created_at: Date | string;
  person_name: string | null;
  id_kind: string | null;
  region_code: string | null;
  id_last4: string | null;
  id_legacy: boolean | null;
  address_text: string | null;
  unit_name: string | null;
}

export const LINK_KIND_NAMES = { person: '人员', address: '地址', unit: '单位', case: '案件' } as const;

export function presentLink(l: LinkRow) {
  const label =
    l.kind === 'person' ? l.person_name : l.kind === 'address' ? l.address_text : l.kind === 'unit' ? l.unit_name : l.ref;
  return {
    id: l.id,
    kind: l.kind,
    kindName: LINK_KIND_NAMES[l.kind],
    targetId: l.target_id,
    ref: l.ref,
    label: label ?? l.ref ?? '',
    // linked people as in the registry: the identity number masked
    idNumber: l.kind === 'person' && l.id_kind ? maskedIdOf({ id_kind: l.id_kind, region_code: l.region_code, id_last4: l.id_last4, id_legacy: !!l.id_legacy }) : null,
    role: l.role,
    note: l.note,
    createdAt: iso(l.created_at)!,
  };
}

export const maskedCaller = (name: string | null, phone: string | null) => ({ callerName: maskName(name), callerPhone: maskPhone(phone) });
