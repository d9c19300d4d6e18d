// Shapes of the /api/v1 resources (see docs/api.md). Shared by every web app.

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Health {
  status: string;
  version: string;
  database: 'pglite' | 'postgresql' | string;
  time: string;
}

export type OrgKind = 'city_bureau' | 'branch' | 'station' | 'community' | 'grid';
/** From coarsest to finest; a child unit's kind must come after its parent's. */
export const ORG_KINDS: readonly OrgKind[] = ['city_bureau', 'branch', 'station', 'community', 'grid'];

export interface RoleRef {
  code: string;
  name: string;
  /** English name, where the server provides one. */
  nameEn?: string;
}

export interface NamedRef {
  id: string;
  name: string;
}

export interface OrgUnitRef {
  id: string;
  name: string;
  kind?: OrgKind;
  code?: string;
}

/** Departments may be sent as an object or, by older servers, a bare name. */
export type DepartmentRef = NamedRef | string | null | undefined;

export interface Me {
  id: string;
  kind: 'staff' | 'resident';
  username: string;
  displayName: string;
  orgUnit: OrgUnitRef | null;
  department: DepartmentRef;
  roles: RoleRef[];
  permissions: string[];
  totpEnabled: boolean;
  mustChangePassword: boolean;
}

export interface LoginResponse {
  token: string;
  expiresAt: string;
  user: Me;
}

export interface Session {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
}

export type UnitStatus = 'active' | 'inactive';

export interface OrgTreeNode {
  id: string;
  parentId: string | null;
  kind: OrgKind;
  code: string;
  name: string;
  status: UnitStatus;
  children: OrgTreeNode[];
}

export interface GeoPolygon {
  type: 'Polygon';
  coordinates: number[][][];
}

export interface OrgUnitDetail {
  id: string;
  parentId: string | null;
  kind: OrgKind;
  code: string;
  name: string;
  status: UnitStatus;
  contactPhone: string | null;
  address: string | null;
  boundary: GeoPolygon | null;
  ancestors: Array<{ id: string; name: string; kind: OrgKind }>;
  createdAt?: string;
  updatedAt?: string;
}

export type DepartmentKind = 'internal' | 'partner';

export interface Department {
  id: string;
  orgUnitId: string;
  orgUnitName?: string;
  kind: DepartmentKind;
  category: string;
  name: string;
  contactPhone: string | null;
  status: UnitStatus;
}

export type UserStatus = 'active' | 'disabled';

export interface UserSummary {
  id: string;
  username: string;
  displayName: string;
  phone: string | null;
  orgUnit: NamedRef | null;
  department: DepartmentRef;
  roles: RoleRef[];
  status: UserStatus;
  locked: boolean;
  totpEnabled: boolean;
  lastLoginAt: string | null;
}

export interface UserDetail extends UserSummary {
  departmentId?: string | null;
}

export interface Role {
  code: string;
  name: string;
  nameEn?: string;
  description: string;
  permissions: string[];
  builtin?: boolean;
}

export interface Permission {
  code: string;
  name: string;
  nameEn?: string;
  group: string;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actorId: string | null;
  actorName: string | null;
  actorRole: string | null;
  action: string;
  subjectType: string | null;
  subjectIds: string[] | null;
  purpose: string | null;
  ip: string | null;
  userAgent: string | null;
  outcome: string;
  crossJurisdiction?: boolean;
  detail: unknown;
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  firstBrokenSeq: number | null;
  reason: string | null;
}

/** Bulk import (数据导入) of registry data: what is imported. */
export type ImportKind = 'addresses' | 'persons' | 'housing' | 'units' | 'incidents';
export const IMPORT_KINDS: readonly ImportKind[] = ['addresses', 'persons', 'housing', 'units', 'incidents'];

export type ImportStatus = 'uploaded' | 'validating' | 'validated' | 'committing' | 'committed' | 'cancelled' | 'failed';

/** Row counts of a dry run or of a commit. */
export interface ImportTally {
  rows: number;
  valid: number;
  invalid: number;
  create: number;
  update: number;
  unchanged: number;
  issues: number;
}

/** A field of the import template. */
export interface ImportColumn {
  field: string;
  header: string;
  required: boolean;
  /** Accepted values of an enumeration. */
  values: string[] | null;
  note: string;
}

export interface ImportJob {
  id: string;
  kind: ImportKind;
  kindName: string;
  status: ImportStatus;
  statusName: string;
  fileName: string;
  fileFormat: 'csv' | 'xlsx';
  fileBytes: number;
  /** The file's header row. */
  headers: string[];
  /** Template field → column index in the file (from 0). */
  mapping: Record<string, number> | null;
  skipInvalid: boolean;
  progress: { percent: number; rowsDone: number; rowsTotal: number | null; bytesDone: number };
  dryRun: ImportTally | null;
  committed: ImportTally | null;
  error: string | null;
  cancelRequested: boolean;
  createdBy: { id: string; name: string | null };
  orgUnit: { id: string; name: string | null };
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  /** The template's fields (on the single-job answers). */
  columns?: ImportColumn[];
}

/** One problem of the row-level report. */
export interface ImportIssue {
  row: number;
  column: string | null;
  field: string | null;
  value: string | null;
  reason: string;
  phase: 'validate' | 'commit' | string;
}
