import type { ColumnType, Generated, Selectable } from 'kysely';
import type { FormSchema } from '../../shared/forms.js';

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
  police_no: string | null;
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

type DateCol = ColumnType<string, string | undefined | null, string | null>; // 'YYYY-MM-DD'

export interface AddressTable {
  id: string;
  parent_id: string | null;
  level: 'road' | 'door' | 'compound' | 'building' | 'unit' | 'floor' | 'room' | 'village' | 'group';
  name: string;
  code: string;
  full_text: string;
  search_text: string;
  grid_id: string;
  county_code: string;
  path: string;
  lng: number | null;
  lat: number | null;
  status: 'active' | 'inactive';
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AddressStatusHistoryTable {
  id: string;
  address_id: string;
  status: 'active' | 'inactive';
  reason: string | null;
  changed_by: string | null;
  changed_at: Timestamp;
}

export interface PlateTable {
  id: string;
  address_id: string;
  kind: 'road' | 'gate' | 'building' | 'room';
  token: string;
  status: 'active' | 'revoked';
  issued_at: Timestamp;
  issued_by: string | null;
  revoked_at: Date | null;
  revoked_reason: string | null;
  replaced_by: string | null;
}

export interface PersonTable {
  id: string;
  id_cipher: string | null;
  id_blind: string | null;
  id_kind: 'resident_id' | 'passport' | 'other';
  id_legacy: boolean;
  id_last4: string | null;
  birth_date: DateCol;
  sex: 'M' | 'F' | null;
  region_code: string | null;
  name: string;
  name_pinyin: string;
  name_initials: string;
  /** the ordinary reading when the surname reads differently (单 shan/dan …); '' otherwise */
  name_pinyin_alt: string;
  name_initials_alt: string;
  ethnicity: string | null;
  phone: string | null;
  hukou_address: string | null;
  person_type: 'registered' | 'floating' | 'overseas';
  nationality: string | null;
  passport_no_cipher: string | null;
  passport_blind: string | null;
  passport_expiry: DateCol;
  floating_registered_on: DateCol;
  expected_stay_until: DateCol;
  permit_issued_on: DateCol;
  permit_next_endorsement: DateCol;
  org_unit_id: string;
  county_code: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ResidenceTable {
  id: string;
  person_id: string;
  address_id: string;
  relation: 'householder' | 'spouse' | 'child' | 'parent' | 'grandchild' | 'grandparent' | 'sibling' | 'relative' | 'tenant' | 'roommate' | 'employee' | 'other';
  from_date: ColumnType<string, string, string>;
  to_date: DateCol;
  source: string;
  created_at: Timestamp;
}

export interface HousingTable {
  id: string;
  address_id: string;
  owner_person_id: string | null;
  owner_name: string | null;
  owner_phone: string | null;
  property_type: 'commercial' | 'affordable' | 'public_rental' | 'self_built' | 'collective' | 'other';
  use: 'self' | 'rent' | 'vacant' | 'business';
  group_rental: boolean;
  area_m2: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  rooms: number | null;
  landlord_person_id: string | null;
  lease_from: DateCol;
  lease_to: DateCol;
  rental_registration: 'registered' | 'unregistered' | 'expired' | null;
  star_rating: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UnitTable {
  id: string;
  credit_code: string | null;
  other_reg_no: string | null;
  name: string;
  unit_type: string;
  key_industry: 'hotel' | 'courier' | 'ebike' | 'precursor_chemical' | 'school' | 'hospital' | 'financial' | 'entertainment' | 'rental_agency' | 'other' | null;
  address_id: string | null;
  legal_rep_name: string | null;
  legal_rep_person_id: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  status: 'active' | 'closed';
  org_unit_id: string;
  county_code: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface EmploymentTable {
  id: string;
  unit_id: string;
  person_id: string;
  role: string | null;
  from_date: ColumnType<string, string, string>;
  to_date: DateCol;
  created_at: Timestamp;
}

export interface ClientSubmissionTable {
  client_id: string;
  actor_id: string;
  kind: string;
  result_id: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export type ImportKind = 'addresses' | 'persons' | 'housing' | 'units' | 'incidents';
export type ImportStatus = 'uploaded' | 'validating' | 'validated' | 'committing' | 'committed' | 'cancelled' | 'failed';

export interface ImportTally {
  rows: number;
  valid: number;
  invalid: number;
  create: number;
  update: number;
  unchanged: number;
  issues: number;
}

export interface ImportJobTable {
  id: string;
  kind: ImportKind;
  status: ImportStatus;
  file_name: string;
  file_format: 'csv' | 'xlsx';
  file_bytes: number;
  file_sha256: string;
  headers: ColumnType<string[], string, string>;
  mapping: ColumnType<Record<string, number> | null, string | null, string | null>;
  skip_invalid: Generated<boolean>;
  created_by: string;
  org_unit_id: string;
  client_ip: string | null;
  cursor_row: Generated<number>;
  bytes_done: Generated<number>;
  rows_total: number | null;
  dry_run: ColumnType<ImportTally | null, string | null, string | null>;
  committed: ColumnType<ImportTally | null, string | null, string | null>;
  error: string | null;
  cancel_requested: Generated<boolean>;
  runner_id: string | null;
  heartbeat_at: Date | null;
  phase_started_at: Date | null;
  finished_at: Date | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface ImportIssueTable {
  id: Generated<number>;
  job_id: string;
  phase: 'validate' | 'commit';
  row_no: number;
  column_name: string | null;
  field: string | null;
  value: string | null;
  reason: string;
}

export interface ImportKeyTable {
  job_id: string;
  key: string;
  row_no: number;
}

// ---- resident portal (0007) ----------------------------------------------------------------------------

/** One opening period of an office: day 1 = Monday … 7 = Sunday, times `HH:MM` (Asia/Shanghai). */
export interface OpeningPeriod {
  day: number;
  open: string;
  close: string;
}

export interface StaffPhotoTable {
  user_id: string;
  content_type: 'image/jpeg' | 'image/png' | 'image/webp' | 'image/svg+xml';
  data: Buffer;
  updated_at: Timestamp;
}

export interface PoliceOfficeTable {
  id: string;
  org_unit_id: string;
  kind: 'station' | 'office' | 'post';
  name: string;
  address: string | null;
  lng: number | null;
  lat: number | null;
  phone: string | null;
  hours: ColumnType<OpeningPeriod[], string | undefined, string>;
  hours_note: string | null;
  status: Generated<'active' | 'inactive'>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type ServiceCategory = 'huzheng' | 'zhian' | 'churujing' | 'zhengming' | 'jiaotong' | 'other';

export interface AppointmentServiceTable {
  id: string;
  office_id: string;
  category: ServiceCategory;
  name: string;
  description: string | null;
  required_docs: ColumnType<string[], string[] | undefined, string[]>;
  fully_online: Generated<boolean>;
  slot_minutes: Generated<number>;
  capacity: Generated<number>;
  days_ahead: Generated<number>;
  status: Generated<'active' | 'inactive'>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AppointmentTable {
  id: string;
  tracking_no: string;
  service_id: string;
  office_id: string;
  resident_id: string;
  client_id: string | null;
  slot_start: Date;
  slot_end: Date;
  name: string;
  phone: string;
  note: string | null;
  status: 'booked' | 'cancelled' | 'done' | 'no_show';
  reminder_sent_at: Date | null;
  cancelled_at: Date | null;
  handled_at: Date | null;
  handled_by: string | null;
  created_at: Timestamp;
}

export interface SafetyArticleTable {
  id: string;
  org_unit_id: string;
  title: string;
  summary: string | null;
  body: string;
  status: Generated<'draft' | 'published' | 'withdrawn'>;
  published_at: Date | null;
  created_by: string;
  updated_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type SubmissionKind = 'rental' | 'residence' | 'help' | 'mediation' | 'ebike';
export type SubmissionStatus = 'submitted' | 'reviewing' | 'returned' | 'approved' | 'done' | 'withdrawn';

export interface PortalSubmissionTable {
  id: string;
  tracking_no: string;
  kind: SubmissionKind;
  resident_id: string;
  client_id: string | null;
  plate_id: string | null;
  address_id: string;
  grid_id: string;
  status: SubmissionStatus;
  payload: ColumnType<Record<string, unknown>, string, string>;
  summary: string;
  id_blinds: ColumnType<string[], string[] | undefined, string[]>;
  return_reason: string | null;
  reply: string | null;
  result: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  assigned_to: string | null;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  submitted_at: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PortalSubmissionEventTable {
  id: string;
  submission_id: string;
  at: Timestamp;
  status: string;
  actor_kind: 'resident' | 'staff' | 'system';
  actor_id: string | null;
  actor_name: string | null;
  note: string | null;
}

export interface PortalAttachmentTable {
  id: string;
  resident_id: string;
  submission_id: string | null;
  content_type: 'image/jpeg' | 'image/png' | 'image/webp';
  bytes: number;
  sha256: string;
  data: Buffer;
  created_at: Timestamp;
}

// ---- field collection (migrations/0008_field.up.sql, docs/api-field.md) ----------------------------------------

type JsonOf<T> = ColumnType<T, string, string>;
type JsonOfNullable<T> = ColumnType<T | null, string | null | undefined, string | null>;

export interface FieldCategoryTable {
  code: string;
  name: string;
  sort: Generated<number>;
  status: Generated<'active' | 'inactive'>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface FieldItemTypeTable {
  id: string;
  code: string;
  category_code: string;
  name: string;
  description: string | null;
  form_schema: JsonOf<FormSchema>;
  needs_address: Generated<boolean>;
  needs_photo: Generated<boolean>;
  needs_location: Generated<boolean>;
  sort: Generated<number>;
  builtin: Generated<boolean>;
  status: Generated<'active' | 'inactive'>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface FieldAttachmentTable {
  id: string;
  worker_id: string;
  content_type: 'image/jpeg' | 'image/png' | 'image/webp';
  bytes: number;
  data: Buffer;
  created_at: Timestamp;
}

export type FieldItemStatus = 'submitted' | 'routed' | 'closed' | 'returned';
export interface FieldItemTable {
  id: string;
  client_id: string;
  worker_id: string;
  type_code: string;
  type_version: number;
  category_code: string;
  org_unit_id: string;
  county_code: string;
  address_id: string | null;
  task_id: string | null;
  correction_of: string | null;
  data: JsonOf<Record<string, unknown>>;
  note: string | null;
  photo_ids: ColumnType<string[], string[] | undefined, string[]>;
  lng: number | null;
  lat: number | null;
  accuracy_m: number | null;
  occurred_at: Timestamp;
  received_at: Timestamp;
  status: Generated<FieldItemStatus>;
  return_reason: string | null;
  returned_by: string | null;
  returned_at: Date | null;
}

export interface FieldAddressCheckTable {
  address_id: string;
  last_checked_at: Timestamp;
  last_checked_by: string;
  last_item_id: string;
  check_count: Generated<number>;
}

export type FieldChangeKind = 'person_add' | 'person_update' | 'move_out' | 'housing_update' | 'unit_add' | 'unit_update';
export type FieldChangeStatus = 'pending' | 'applied' | 'conflict' | 'rejected';
export interface FieldChangeTable {
  id: string;
  client_id: string;
  worker_id: string;
  kind: FieldChangeKind;
  org_unit_id: string;
  county_code: string;
  address_id: string;
  target_id: string | null;
  base_version: string | null;
  payload: JsonOf<Record<string, unknown>>;
  id_blinds: ColumnType<string[], string[] | undefined, string[]>;
  summary: string;
  status: Generated<FieldChangeStatus>;
  direct: Generated<boolean>;
  conflict: JsonOfNullable<Record<string, unknown>>;
  result: JsonOfNullable<Record<string, unknown>>;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  review_note: string | null;
  occurred_at: Timestamp;
  received_at: Timestamp;
  updated_at: Timestamp;
}

export interface FieldDirectGrantTable {
  user_id: string;
  granted_by: string;
  granted_at: Timestamp;
  note: string | null;
}

export type RoutingOp = 'eq' | 'neq' | 'in' | 'gte' | 'lte' | 'contains' | 'truthy' | 'falsy';
export interface RoutingCondition {
  field: string;
  op: RoutingOp;
  value?: unknown;
}

export interface RoutingRuleTable {
  id: string;
  name: string;
  item_type_code: string;
  conditions: JsonOf<RoutingCondition[]>;
  target_kind: 'department' | 'officer';
  department_id: string | null;
  accept_hours: Generated<number>;
  escalate_to_department_id: string | null;
  priority: Generated<number>;
  status: Generated<'active' | 'inactive'>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type DispatchStatus = 'pending' | 'accepted' | 'closed' | 'rejected';
export interface DispatchTable {
  id: string;
  item_id: string;
  rule_id: string | null;
  target_kind: 'department' | 'officer';
  department_id: string | null;
  org_unit_id: string;
  county_code: string;
  status: Generated<DispatchStatus>;
  accept_due_at: Timestamp;
  escalation_level: Generated<number>;
  escalated_at: Date | null;
  accepted_at: Date | null;
  accepted_by: string | null;
  closed_at: Date | null;
  closed_by: string | null;
  result: 'resolved' | 'referred' | 'unfounded' | 'other' | null;
  feedback: string | null;
  reject_reason: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DispatchEventTable {
  id: string;
  dispatch_id: string;
  action: string;
  actor_id: string | null;
  note: string | null;
  at: Timestamp;
}

export type TaskTargetKind = 'rental' | 'floating_overdue' | 'key_unit' | 'patrol_point' | 'address';
export type TaskRecurrence = 'weekly' | 'monthly' | 'quarterly';
export interface TaskTemplateTable {
  id: string;
  org_unit_id: string;
  name: string;
  item_type_code: string;
  target_kind: TaskTargetKind;
  point_ids: ColumnType<string[], string[] | undefined, string[]>;
  recurrence: TaskRecurrence;
  status: Generated<'active' | 'paused'>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TaskTable {
  id: string;
  template_id: string;
  period: string;
  grid_id: string;
  county_code: string;
  worker_id: string | null;
  target_kind: TaskTargetKind;
  target_id: string;
  address_id: string | null;
  title: string;
  due_date: ColumnType<string, string, string>;
  status: Generated<'open' | 'done' | 'cancelled'>;
  done_at: Date | null;
  done_item_id: string | null;
  created_at: Timestamp;
}

export interface FieldSettingTable {
  key: string;
  value: JsonOf<unknown>;
  updated_by: string | null;
  updated_at: Timestamp;
}

// ---- incidents, analysis and command (migration 0009; docs/api-command.md) ------------------------------------

export interface IncidentCategoryTable {
  id: string;
  parent_id: string | null;
  code: string;
  name: string;
  police_matter: Generated<boolean>;
  sort: Generated<number>;
  builtin: Generated<boolean>;
  status: Generated<'active' | 'inactive'>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type IncidentSource = '110' | 'walk_in' | 'grid' | 'resident' | 'other';
export type IncidentStatus = 'received' | 'handling' | 'diverted' | 'closed';
/** bigint columns (H3 cells) come back from the driver as strings. */
type BigintCol = ColumnType<string, string | bigint, string | bigint>;

/** Monthly counts per cell, category and unit, kept by triggers on incidents (migrations/0010_incident_rollup.up.sql). */
export interface IncidentMonthCountTable {
  month: DateCol;
  category_id: string;
  h3: BigintCol | null;
  county_code: string | null;
  station_id: string | null;
  community_id: string | null;
  grid_id: string | null;
  n: number;
}

export interface IncidentTable {
  id: string;
  code: string;
  source: IncidentSource;
  external_no: string | null;
  source_ref: string | null;
  category_id: string;
  occurred_at: Timestamp;
  reported_at: Timestamp;
  day: DateCol;
  how: number;
  address_id: string | null;
  place: string | null;
  lng: number | null;
  lat: number | null;
  h3: ColumnType<string | null, string | bigint | null, string | bigint | null>;
  org_unit_id: string;
  station_id: string | null;
  community_id: string | null;
  grid_id: string | null;
  org_path: string;
  county_code: string | null;
  summary: string;
  caller_name: string | null;
  caller_phone: string | null;
  status: Generated<IncidentStatus>;
  handler_id: string | null;
  result: string | null;
  closed_at: Date | null;
  closed_by: string | null;
  created_by: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface IncidentLinkTable {
  id: string;
  incident_id: string;
  kind: 'person' | 'address' | 'unit' | 'case';
  target_id: string | null;
  ref: string | null;
  role: string | null;
  note: string | null;
  created_by: string | null;
  created_at: Timestamp;
}

export interface IncidentEventTable {
  id: string;
  incident_id: string;
  at: Timestamp;
  actor_id: string | null;
  action: string;
  note: string | null;
  data: Json;
}

export interface IncidentDiversionTable {
  id: string;
  incident_id: string;
  department_id: string;
  reason: string;
  status: Generated<'sent' | 'accepted' | 'done' | 'returned'>;
  feedback: string | null;
  diverted_by: string | null;
  diverted_at: Timestamp;
  answered_by: string | null;
  answered_at: Date | null;
}

export type PatrolMode = 'video' | 'patrol' | 'volunteer';

export interface PatrolPlanTable {
  id: string;
  org_unit_id: string;
  week_start: DateCol;
  basis_from: DateCol;
  basis_to: DateCol;
  params: Json;
  generated_by: string | null;
  generated_at: Timestamp;
}

export interface PatrolPlanItemTable {
  id: string;
  plan_id: string;
  mode: PatrolMode;
  rank: number;
  h3: BigintCol;
  grid_id: string | null;
  label: string;
  lng: number;
  lat: number;
  hours: ColumnType<number[], number[], number[]>;
  incidents: number;
  score: number;
  reason: string;
  camera_ids: ColumnType<string[], string[] | undefined, string[]>;
  team_id: string | null;
}

export interface PatrolTeamTable {
  id: string;
  org_unit_id: string;
  name: string;
  kind: 'yiwu' | 'hongxiubiao' | 'other';
  leader_name: string | null;
  leader_phone: string | null;
  note: string | null;
  status: Generated<'active' | 'inactive'>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PatrolTeamMemberTable {
  id: string;
  team_id: string;
  name: string;
  phone: string;
  person_id: string | null;
  joined_on: DateCol;
  points: Generated<number>;
  status: Generated<'active' | 'left'>;
  created_at: Timestamp;
}

export interface PatrolShiftTable {
  id: string;
  team_id: string;
  plan_item_id: string | null;
  starts_at: Timestamp;
  ends_at: Timestamp;
  area: string;
  status: Generated<'planned' | 'done' | 'cancelled'>;
  created_by: string | null;
  created_at: Timestamp;
}

export interface PatrolShiftMemberTable {
  shift_id: string;
  member_id: string;
  attended: boolean | null;
  points: Generated<number>;
  recorded_by: string | null;
  recorded_at: Date | null;
}

export interface PatrolPointsLedgerTable {
  id: string;
  member_id: string;
  shift_id: string | null;
  points: number;
  reason: string;
  created_by: string | null;
  created_at: Timestamp;
}

export interface PatrolTable {
  id: string;
  org_unit_id: string;
  mode: PatrolMode;
  plan_item_id: string | null;
  route_id: string | null;
  team_id: string | null;
  shift_id: string | null;
  started_at: Timestamp;
  ended_at: Date | null;
  note: string | null;
  created_by: string;
  created_at: Timestamp;
}

export interface PatrolCheckinTable {
  id: string;
  patrol_id: string;
  client_id: string | null;
  at: Timestamp;
  lng: number;
  lat: number;
  h3: BigintCol;
  how: number;
  note: string | null;
  created_by: string | null;
}

export interface CameraTable {
  id: string;
  org_unit_id: string;
  code: string;
  name: string;
  kind: Generated<'public' | 'social'>;
  lng: number;
  lat: number;
  note: string | null;
  status: Generated<'active' | 'inactive'>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PatrolRouteTable {
  id: string;
  org_unit_id: string;
  name: string;
  mode: 'patrol' | 'volunteer';
  geometry: Json;
  note: string | null;
  status: Generated<'active' | 'inactive'>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CommandSettingTable {
  key: string;
  value: JsonOf<unknown>;
  updated_by: string | null;
  updated_at: Timestamp;
}

export type DirectiveLevel = 'red' | 'orange' | 'blue' | 'green';

export interface DirectiveTable {
  id: string;
  code: string;
  level: DirectiveLevel;
  title: string;
  content: string;
  actions: string;
  deadline: Timestamp;
  incident_id: string | null;
  issuer_id: string;
  issuer_unit_id: string;
  issuer_path: string;
  issued_at: Timestamp;
  status: Generated<'active' | 'closed' | 'withdrawn'>;
  closed_at: Date | null;
  closed_by: string | null;
}

export interface DirectiveTargetTable {
  id: string;
  directive_id: string;
  org_unit_id: string | null;
  department_id: string | null;
  status: Generated<'issued' | 'signed' | 'reported'>;
  sign_due_at: Timestamp;
  signed_at: Date | null;
  signed_by: string | null;
  feedback: string | null;
  reported_at: Date | null;
  reported_by: string | null;
  escalation_level: Generated<number>;
  escalated_at: Date | null;
  overdue_notified_at: Date | null;
}

export interface WhistleScenarioTable {
  id: string;
  code: string;
  name: string;
  description: string | null;
  department_ids: ColumnType<string[], string[], string[]>;
  response_minutes: number;
  urgent: Generated<boolean>;
  sort: Generated<number>;
  builtin: Generated<boolean>;
  status: Generated<'active' | 'inactive'>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WhistleTable {
  id: string;
  code: string;
  scenario_id: string;
  station_id: string;
  org_path: string;
  title: string;
  description: string;
  incident_id: string | null;
  address_id: string | null;
  raised_by: string;
  raised_at: Timestamp;
  round: Generated<number>;
  status: Generated<'open' | 'reported' | 'confirmed'>;
  confirmed_by: string | null;
  confirmed_at: Date | null;
}

export interface WhistleResponseTable {
  id: string;
  whistle_id: string;
  department_id: string;
  round: number;
  status: Generated<'pending' | 'acknowledged' | 'acting' | 'reported'>;
  due_at: Timestamp;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  acted_at: Date | null;
  reported_at: Date | null;
  reported_by: string | null;
  report: string | null;
  overdue_notified_at: Date | null;
}

export interface CommandEventTable {
  id: string;
  subject_kind: 'directive' | 'whistle';
  subject_id: string;
  target_id: string | null;
  at: Timestamp;
  actor_id: string | null;
  action: string;
  note: string | null;
}

export interface NotificationTable {
  id: string;
  user_id: string;
  kind: string;
  level: Generated<'urgent' | 'normal'>;
  title: string;
  body: Generated<string>;
  link: string | null;
  subject_id: string | null;
  created_at: Timestamp;
  read_at: Date | null;
}

export interface DB {
  incident_categories: IncidentCategoryTable;
  incidents: IncidentTable;
  incident_month_counts: IncidentMonthCountTable;
  incident_links: IncidentLinkTable;
  incident_events: IncidentEventTable;
  incident_diversions: IncidentDiversionTable;
  patrol_plans: PatrolPlanTable;
  patrol_plan_items: PatrolPlanItemTable;
  patrol_teams: PatrolTeamTable;
  patrol_team_members: PatrolTeamMemberTable;
  patrol_shifts: PatrolShiftTable;
  patrol_shift_members: PatrolShiftMemberTable;
  patrol_points_ledger: PatrolPointsLedgerTable;
  patrols: PatrolTable;
  patrol_checkins: PatrolCheckinTable;
  cameras: CameraTable;
  patrol_routes: PatrolRouteTable;
  command_settings: CommandSettingTable;
  directives: DirectiveTable;
  directive_targets: DirectiveTargetTable;
  whistle_scenarios: WhistleScenarioTable;
  whistles: WhistleTable;
  whistle_responses: WhistleResponseTable;
  command_events: CommandEventTable;
  notifications: NotificationTable;
  field_categories: FieldCategoryTable;
  field_item_types: FieldItemTypeTable;
  field_attachments: FieldAttachmentTable;
  field_items: FieldItemTable;
  field_address_checks: FieldAddressCheckTable;
  field_changes: FieldChangeTable;
  field_direct_grants: FieldDirectGrantTable;
  routing_rules: RoutingRuleTable;
  dispatches: DispatchTable;
  dispatch_events: DispatchEventTable;
  task_templates: TaskTemplateTable;
  tasks: TaskTable;
  field_settings: FieldSettingTable;
  staff_photos: StaffPhotoTable;
  police_offices: PoliceOfficeTable;
  appointment_services: AppointmentServiceTable;
  appointments: AppointmentTable;
  safety_articles: SafetyArticleTable;
  portal_submissions: PortalSubmissionTable;
  portal_submission_events: PortalSubmissionEventTable;
  portal_attachments: PortalAttachmentTable;
  import_jobs: ImportJobTable;
  import_issues: ImportIssueTable;
  import_keys: ImportKeyTable;
  client_submissions: ClientSubmissionTable;
  addresses: AddressTable;
  address_status_history: AddressStatusHistoryTable;
  plates: PlateTable;
  persons: PersonTable;
  residences: ResidenceTable;
  housing: HousingTable;
  units: UnitTable;
  employments: EmploymentTable;
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
