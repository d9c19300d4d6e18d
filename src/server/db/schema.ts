import type { ColumnType, Generated, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string | undefined | null, string | null>;

export interface OrgUnitTable {
  id: string;
  parent_id: string | null;
  kind: 'city_bureau' | 'branch' | 'station' | 'community' | 'grid';
  code: string;
  name: string;
  path: string;
  county_code: string | null;
  contact_phone: string | null;
  address: string | null;
  boundary: Json;
  status: 'active' | 'inactive';
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DepartmentTable {
  id: string;
  org_unit_id: string;
  kind: 'internal' | 'partner';
  category: string;
  name: string;
  contact_phone: string | null;
  status: 'active' | 'inactive';
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RoleTable {
  code: string;
  name: string;
  name_en: string;
  description: string;
  permissions: string[];
  builtin: boolean;
}

export interface UserTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  org_unit_id: string;
  department_id: string | null;
  phone: string | null;
  status: 'active' | 'disabled';
  failed_attempts: Generated<number>;
  locked_until: Date | null;
  must_change_password: Generated<boolean>;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_enabled: Generated<boolean>;
  last_login_at: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UserRoleTable {
  user_id: string;
  role_code: string;
}

export interface ResidentTable {
  id: string;
  phone: string;
  created_at: Timestamp;
  last_login_at: Date | null;
}

export interface SessionTable {
  id: string;
  token_hash: string;
  principal_kind: 'staff' | 'resident';
  user_id: string | null;
  resident_id: string | null;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Date;
  revoked_at: Date | null;
  ip: string | null;
  user_agent: string | null;
}

export interface OtpCodeTable {
  id: string;
  phone: string;
  code_hash: string;
  created_at: Timestamp;
  expires_at: Date;
  attempts: Generated<number>;
  consumed_at: Date | null;
}

export interface SmsOutboxTable {
  id: string;
  phone: string;
  body: string;
  provider: string;
  status: Generated<string>;
  created_at: Timestamp;
}

export interface AuditLogTable {
  seq: number;
  id: string;
  at: Date;
  actor_kind: string;
  actor_id: string | null;
  actor_name: string | null;
  actor_role: string | null;
  org_unit_id: string | null;
  action: string;
  subject_type: string | null;
  subject_ids: string[];
  purpose: string | null;
  ip: string | null;
  user_agent: string | null;
  outcome: 'success' | 'failure' | 'denied';
  cross_jurisdiction: boolean;
  detail: Json;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface DB {
  audit_head: AuditHeadTable;
  org_units: OrgUnitTable;
  departments: DepartmentTable;
  roles: RoleTable;
  users: UserTable;
  user_roles: UserRoleTable;
  residents: ResidentTable;
  sessions: SessionTable;
  otp_codes: OtpCodeTable;
  sms_outbox: SmsOutboxTable;
  audit_log: AuditLogTable;
}

export type OrgUnitRow = Selectable<OrgUnitTable>;
export type UserRow = Selectable<UserTable>;
export type AuditRow = Selectable<AuditLogTable>;
