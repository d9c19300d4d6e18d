-- Incidents, analysis and command (情指行): incident records with a configurable category tree and diversion of
-- non-police matters, patrol recommendations and patrol/volunteer records, mapped assets, four-colour directives,
-- whistle-and-report requests and the staff notifications that carry them (docs/api-command.md).

-- ---- incidents (警情) ------------------------------------------------------------------------------------------

-- A configurable tree: 刑事/治安/纠纷/求助/交通/火灾/其他 and their children. police_matter=false marks categories that
-- are usually not police work (非警务警情) and are offered for diversion.
CREATE TABLE incident_categories (
  id            uuid PRIMARY KEY,
  parent_id     uuid REFERENCES incident_categories (id),
  code          text NOT NULL UNIQUE,
  name          text NOT NULL,
  police_matter boolean NOT NULL DEFAULT true,
  sort          integer NOT NULL DEFAULT 0,
  builtin       boolean NOT NULL DEFAULT false,
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incident_categories_parent_idx ON incident_categories (parent_id);

-- One incident from any source. org_unit_id: the handling unit (a station or below). org_path: the path reads are
-- scoped by — the grid of the place when it lies inside the handling unit, else the handling unit's own path.
-- h3: the H3 cell (resolution 9) of the place; how: the hour of the week in Beijing time (0 = Monday 00:00–00:59).
-- day: the Beijing date of occurred_at. caller_phone is personal data and only ever shown masked.
CREATE TABLE incidents (
  id           uuid PRIMARY KEY,
  code         text NOT NULL UNIQUE,
  source       text NOT NULL CHECK (source IN ('110', 'walk_in', 'grid', 'resident', 'other')),
  external_no  text,
  source_ref   uuid,
  category_id  uuid NOT NULL REFERENCES incident_categories (id),
  occurred_at  timestamptz NOT NULL,
  reported_at  timestamptz NOT NULL,
  day          date NOT NULL,
  how          smallint NOT NULL CHECK (how BETWEEN 0 AND 167),
  address_id   uuid REFERENCES addresses (id),
  place        text,
  lng          double precision,
  lat          double precision,
  h3           bigint,
  org_unit_id  uuid NOT NULL REFERENCES org_units (id),
  station_id   uuid REFERENCES org_units (id),
  community_id uuid REFERENCES org_units (id),
  grid_id      uuid REFERENCES org_units (id),
  org_path     text NOT NULL,
  county_code  text,
  summary      text NOT NULL,
  caller_name  text,
  caller_phone text,
  status       text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'handling', 'diverted', 'closed')),
  handler_id   uuid REFERENCES users (id),
  result       text,
  closed_at    timestamptz,
  closed_by    uuid REFERENCES users (id),
  created_by   uuid REFERENCES users (id),
  version      integer NOT NULL DEFAULT 1,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
-- a 110 dispatch number (接警单号) is stored once: re-importing the same file or API batch is harmless
CREATE UNIQUE INDEX incidents_external_idx ON incidents (source, external_no) WHERE external_no IS NOT NULL;
CREATE UNIQUE INDEX incidents_source_ref_idx ON incidents (source, source_ref) WHERE source_ref IS NOT NULL;
-- the hot-spot, hour and trend queries read only these columns: an index-only scan over a period. Scope is applied
-- through the place's county, station, community or grid (the ancestors-or-self of the org_path unit), which keeps
-- this index narrow (org_path would triple it and turn the plan into a sequential scan).
CREATE INDEX incidents_time_idx ON incidents (occurred_at) INCLUDE (category_id, h3, how, county_code, station_id, community_id, grid_id);
CREATE INDEX incidents_scope_idx ON incidents (org_path text_pattern_ops, occurred_at DESC);
CREATE INDEX incidents_open_idx ON incidents (org_unit_id, reported_at) WHERE status IN ('received', 'handling');
CREATE INDEX incidents_closed_idx ON incidents (closed_at) WHERE closed_at IS NOT NULL;
CREATE INDEX incidents_address_idx ON incidents (address_id) WHERE address_id IS NOT NULL;

-- Links to people, addresses, units and (later) cases: target_id for records of this platform, ref for a case number.
CREATE TABLE incident_links (
  id          uuid PRIMARY KEY,
  incident_id uuid NOT NULL REFERENCES incidents (id),
  kind        text NOT NULL CHECK (kind IN ('person', 'address', 'unit', 'case')),
  target_id   uuid,
  ref         text,
  role        text,
  note        text,
  created_by  uuid REFERENCES users (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (target_id IS NOT NULL OR ref IS NOT NULL)
);
CREATE INDEX incident_links_incident_idx ON incident_links (incident_id);
CREATE INDEX incident_links_target_idx ON incident_links (kind, target_id) WHERE target_id IS NOT NULL;

-- The timeline: received, assigned, handling, note, diverted, closed, reopened, linked …
CREATE TABLE incident_events (
  id          uuid PRIMARY KEY,
  incident_id uuid NOT NULL REFERENCES incidents (id),
  at          timestamptz NOT NULL DEFAULT now(),
  actor_id    uuid REFERENCES users (id),
  action      text NOT NULL,
  note        text,
  data        jsonb
);
CREATE INDEX incident_events_incident_idx ON incident_events (incident_id, at);

-- 非警务警情分流: where a non-police matter went (12345 or a partner department) and what came back.
CREATE TABLE incident_diversions (
  id            uuid PRIMARY KEY,
  incident_id   uuid NOT NULL REFERENCES incidents (id),
  department_id uuid NOT NULL REFERENCES departments (id),
  reason        text NOT NULL,
  status        text NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'accepted', 'done', 'returned')),
  feedback      text,
  diverted_by   uuid REFERENCES users (id),
  diverted_at   timestamptz NOT NULL DEFAULT now(),
  answered_by   uuid REFERENCES users (id),
  answered_at   timestamptz
);
CREATE INDEX incident_diversions_incident_idx ON incident_diversions (incident_id);
CREATE INDEX incident_diversions_dept_idx ON incident_diversions (department_id, diverted_at DESC);

-- the one map reads the located addresses of a bounding box
CREATE INDEX addresses_lnglat_idx ON addresses (lng, lat) WHERE lng IS NOT NULL AND lat IS NOT NULL;

ALTER TABLE import_jobs DROP CONSTRAINT IF EXISTS import_jobs_kind_check;
ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_kind_check CHECK (kind IN ('addresses', 'persons', 'housing', 'units', 'incidents'));

-- ---- patrols: "1+3" recommendations, patrols with check-ins, volunteer teams ------------------------------------

-- A week's recommendation for one station, computed from its hot spots. mode: video (视频巡控), patrol (专业巡逻),
-- volunteer (群防巡逻). hours: hours of the week (0–167) recommended for that place.
CREATE TABLE patrol_plans (
  id           uuid PRIMARY KEY,
  org_unit_id  uuid NOT NULL REFERENCES org_units (id),
  week_start   date NOT NULL,
  basis_from   date NOT NULL,
  basis_to     date NOT NULL,
  params       jsonb NOT NULL DEFAULT '{}',
  generated_by uuid REFERENCES users (id),
  generated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_unit_id, week_start)
);

CREATE TABLE patrol_plan_items (
  id          uuid PRIMARY KEY,
  plan_id     uuid NOT NULL REFERENCES patrol_plans (id) ON DELETE CASCADE,
  mode        text NOT NULL CHECK (mode IN ('video', 'patrol', 'volunteer')),
  rank        integer NOT NULL,
  h3          bigint NOT NULL,
  grid_id     uuid REFERENCES org_units (id),
  label       text NOT NULL,
  lng         double precision NOT NULL,
  lat         double precision NOT NULL,
  hours       smallint[] NOT NULL,
  incidents   integer NOT NULL,
  score       double precision NOT NULL,
  reason      text NOT NULL,
  camera_ids  uuid[] NOT NULL DEFAULT '{}',
  team_id     uuid
);
CREATE INDEX patrol_plan_items_plan_idx ON patrol_plan_items (plan_id, mode, rank);

-- 义务巡逻队 / 红袖标 of a community, their members (phones shown masked) and shifts with points for taking part.
CREATE TABLE patrol_teams (
  id           uuid PRIMARY KEY,
  org_unit_id  uuid NOT NULL REFERENCES org_units (id),
  name         text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('yiwu', 'hongxiubiao', 'other')),
  leader_name  text,
  leader_phone text,
  note         text,
  status       text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_unit_id, name)
);

CREATE TABLE patrol_team_members (
  id         uuid PRIMARY KEY,
  team_id    uuid NOT NULL REFERENCES patrol_teams (id),
  name       text NOT NULL,
  phone      text NOT NULL,
  person_id  uuid REFERENCES persons (id),
  joined_on  date NOT NULL,
  points     integer NOT NULL DEFAULT 0,
  status     text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'left')),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (team_id, phone)
);

CREATE TABLE patrol_shifts (
  id           uuid PRIMARY KEY,
  team_id      uuid NOT NULL REFERENCES patrol_teams (id),
  plan_item_id uuid REFERENCES patrol_plan_items (id) ON DELETE SET NULL,
  starts_at    timestamptz NOT NULL,
  ends_at      timestamptz NOT NULL,
  area         text NOT NULL,
  status       text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'done', 'cancelled')),
  created_by   uuid REFERENCES users (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at > starts_at)
);
CREATE INDEX patrol_shifts_team_idx ON patrol_shifts (team_id, starts_at DESC);

CREATE TABLE patrol_shift_members (
  shift_id    uuid NOT NULL REFERENCES patrol_shifts (id),
  member_id   uuid NOT NULL REFERENCES patrol_team_members (id),
  attended    boolean,
  points      integer NOT NULL DEFAULT 0,
  recorded_by uuid REFERENCES users (id),
  recorded_at timestamptz,
  PRIMARY KEY (shift_id, member_id)
);

-- Every change of a member's points, so the total can always be explained.
CREATE TABLE patrol_points_ledger (
  id         uuid PRIMARY KEY,
  member_id  uuid NOT NULL REFERENCES patrol_team_members (id),
  shift_id   uuid REFERENCES patrol_shifts (id),
  points     integer NOT NULL,
  reason     text NOT NULL,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX patrol_points_ledger_member_idx ON patrol_points_ledger (member_id, created_at DESC);

-- A patrol actually carried out (professional, video watch or volunteer), optionally against a plan item, with
-- its check-ins. client_id makes a check-in sent twice from a phone harmless.
CREATE TABLE patrols (
  id           uuid PRIMARY KEY,
  org_unit_id  uuid NOT NULL REFERENCES org_units (id),
  mode         text NOT NULL CHECK (mode IN ('video', 'patrol', 'volunteer')),
  plan_item_id uuid REFERENCES patrol_plan_items (id) ON DELETE SET NULL,
  route_id     uuid,
  team_id      uuid REFERENCES patrol_teams (id),
  shift_id     uuid REFERENCES patrol_shifts (id),
  started_at   timestamptz NOT NULL,
  ended_at     timestamptz,
  note         text,
  created_by   uuid NOT NULL REFERENCES users (id),
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX patrols_unit_idx ON patrols (org_unit_id, started_at DESC);

CREATE TABLE patrol_checkins (
  id         uuid PRIMARY KEY,
  patrol_id  uuid NOT NULL REFERENCES patrols (id),
  client_id  uuid,
  at         timestamptz NOT NULL,
  lng        double precision NOT NULL,
  lat        double precision NOT NULL,
  h3         bigint NOT NULL,
  how        smallint NOT NULL,
  note       text,
  created_by uuid REFERENCES users (id),
  UNIQUE (patrol_id, client_id)
);
CREATE INDEX patrol_checkins_patrol_idx ON patrol_checkins (patrol_id, at);
CREATE INDEX patrol_checkins_time_idx ON patrol_checkins (at) INCLUDE (h3, how);

-- ---- the one map: assets drawn on it -------------------------------------------------------------------------

-- Cameras are mapped assets only: a place and a name, never a feed or any recognition.
CREATE TABLE cameras (
  id          uuid PRIMARY KEY,
  org_unit_id uuid NOT NULL REFERENCES org_units (id),
  code        text NOT NULL UNIQUE,
  name        text NOT NULL,
  kind        text NOT NULL DEFAULT 'public' CHECK (kind IN ('public', 'social')),
  lng         double precision NOT NULL,
  lat         double precision NOT NULL,
  note        text,
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cameras_unit_idx ON cameras (org_unit_id);

-- Patrol routes: a GeoJSON LineString.
CREATE TABLE patrol_routes (
  id          uuid PRIMARY KEY,
  org_unit_id uuid NOT NULL REFERENCES org_units (id),
  name        text NOT NULL,
  mode        text NOT NULL CHECK (mode IN ('patrol', 'volunteer')),
  geometry    jsonb NOT NULL,
  note        text,
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX patrol_routes_unit_idx ON patrol_routes (org_unit_id);

-- Settings of this capability: the map's tile URL, response-ring speed, directive sign-off times by level.
CREATE TABLE command_settings (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_by uuid REFERENCES users (id),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- ---- four-colour directives (四色预警指令) ----------------------------------------------------------------------

CREATE TABLE directives (
  id             uuid PRIMARY KEY,
  code           text NOT NULL UNIQUE,
  level          text NOT NULL CHECK (level IN ('red', 'orange', 'blue', 'green')),
  title          text NOT NULL,
  content        text NOT NULL,
  actions        text NOT NULL,
  deadline       timestamptz NOT NULL,
  incident_id    uuid REFERENCES incidents (id),
  issuer_id      uuid NOT NULL REFERENCES users (id),
  issuer_unit_id uuid NOT NULL REFERENCES org_units (id),
  issuer_path    text NOT NULL,
  issued_at      timestamptz NOT NULL DEFAULT now(),
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed', 'withdrawn')),
  closed_at      timestamptz,
  closed_by      uuid REFERENCES users (id)
);
CREATE INDEX directives_issued_idx ON directives (issuer_path text_pattern_ops, issued_at DESC);

-- One receiving unit (an org unit such as a station) or department (a 警种) of a directive.
CREATE TABLE directive_targets (
  id               uuid PRIMARY KEY,
  directive_id     uuid NOT NULL REFERENCES directives (id),
  org_unit_id      uuid REFERENCES org_units (id),
  department_id    uuid REFERENCES departments (id),
  status           text NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'signed', 'reported')),
  sign_due_at      timestamptz NOT NULL,
  signed_at        timestamptz,
  signed_by        uuid REFERENCES users (id),
  feedback         text,
  reported_at      timestamptz,
  reported_by      uuid REFERENCES users (id),
  escalation_level smallint NOT NULL DEFAULT 0,
  escalated_at     timestamptz,
  overdue_notified_at timestamptz,
  CHECK ((org_unit_id IS NULL) <> (department_id IS NULL))
);
CREATE INDEX directive_targets_directive_idx ON directive_targets (directive_id);
CREATE INDEX directive_targets_unit_idx ON directive_targets (org_unit_id, status);
CREATE INDEX directive_targets_dept_idx ON directive_targets (department_id, status);
CREATE INDEX directive_targets_open_idx ON directive_targets (sign_due_at) WHERE status <> 'reported';

-- ---- whistle-and-report (派出所吹哨、警种报到) -------------------------------------------------------------------

-- A configured scenario names the receiving departments and the time they have to respond.
CREATE TABLE whistle_scenarios (
  id               uuid PRIMARY KEY,
  code             text NOT NULL UNIQUE,
  name             text NOT NULL,
  description      text,
  department_ids   uuid[] NOT NULL,
  response_minutes integer NOT NULL CHECK (response_minutes BETWEEN 5 AND 10080),
  urgent           boolean NOT NULL DEFAULT false,
  sort             integer NOT NULL DEFAULT 0,
  builtin          boolean NOT NULL DEFAULT false,
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE whistles (
  id           uuid PRIMARY KEY,
  code         text NOT NULL UNIQUE,
  scenario_id  uuid NOT NULL REFERENCES whistle_scenarios (id),
  station_id   uuid NOT NULL REFERENCES org_units (id),
  org_path     text NOT NULL,
  title        text NOT NULL,
  description  text NOT NULL,
  incident_id  uuid REFERENCES incidents (id),
  address_id   uuid REFERENCES addresses (id),
  raised_by    uuid NOT NULL REFERENCES users (id),
  raised_at    timestamptz NOT NULL DEFAULT now(),
  round        integer NOT NULL DEFAULT 1,
  status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'reported', 'confirmed')),
  confirmed_by uuid REFERENCES users (id),
  confirmed_at timestamptz
);
CREATE INDEX whistles_scope_idx ON whistles (org_path text_pattern_ops, raised_at DESC);

-- One receiving department's response in one round (a reopen starts a new round for every receiver).
CREATE TABLE whistle_responses (
  id                  uuid PRIMARY KEY,
  whistle_id          uuid NOT NULL REFERENCES whistles (id),
  department_id       uuid NOT NULL REFERENCES departments (id),
  round               integer NOT NULL,
  status              text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'acknowledged', 'acting', 'reported')),
  due_at              timestamptz NOT NULL,
  acknowledged_at     timestamptz,
  acknowledged_by     uuid REFERENCES users (id),
  acted_at            timestamptz,
  reported_at         timestamptz,
  reported_by         uuid REFERENCES users (id),
  report              text,
  overdue_notified_at timestamptz,
  UNIQUE (whistle_id, department_id, round)
);
CREATE INDEX whistle_responses_dept_idx ON whistle_responses (department_id, status);
CREATE INDEX whistle_responses_open_idx ON whistle_responses (due_at) WHERE status IN ('pending', 'acknowledged');

-- The timeline of directives and whistles: issued, signed, reported, escalated, acknowledged, reopened, confirmed …
CREATE TABLE command_events (
  id           uuid PRIMARY KEY,
  subject_kind text NOT NULL CHECK (subject_kind IN ('directive', 'whistle')),
  subject_id   uuid NOT NULL,
  target_id    uuid,
  at           timestamptz NOT NULL DEFAULT now(),
  actor_id     uuid REFERENCES users (id),
  action       text NOT NULL,
  note         text
);
CREATE INDEX command_events_subject_idx ON command_events (subject_id, at);

-- ---- notifications to console users ----------------------------------------------------------------------------

CREATE TABLE notifications (
  id         uuid PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES users (id),
  kind       text NOT NULL,
  level      text NOT NULL DEFAULT 'normal' CHECK (level IN ('urgent', 'normal')),
  title      text NOT NULL,
  body       text NOT NULL DEFAULT '',
  link       text,
  subject_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at    timestamptz
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
