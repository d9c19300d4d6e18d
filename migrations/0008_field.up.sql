-- Field collection by grid workers and police assistants (网格采集): item types defined as data, items collected
-- offline and synced with client ids, registry changes reviewed by the community officer, routing of items to the
-- departments that own them, recurring quantified tasks, and the monthly assessment of grid workers.

-- The categories of basic work (信息采集, 网格巡查, 社区服务, 重点监控 …) and their items, each with a form schema.
CREATE TABLE field_categories (
  code       text PRIMARY KEY,
  name       text NOT NULL,
  sort       integer NOT NULL DEFAULT 0,
  status     text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- form_schema: {"fields":[{"key","label","type","required","options","min","max","maxLength","help"}]} (docs/api-field.md)
-- builtin: shipped with the platform (may be edited and disabled, never deleted); version: bumped on every edit.
CREATE TABLE field_item_types (
  id             uuid PRIMARY KEY,
  code           text NOT NULL UNIQUE,
  category_code  text NOT NULL REFERENCES field_categories (code),
  name           text NOT NULL,
  description    text,
  form_schema    jsonb NOT NULL DEFAULT '{"fields":[]}',
  needs_address  boolean NOT NULL DEFAULT false,
  needs_photo    boolean NOT NULL DEFAULT false,
  needs_location boolean NOT NULL DEFAULT false,
  sort           integer NOT NULL DEFAULT 0,
  builtin        boolean NOT NULL DEFAULT false,
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  version        integer NOT NULL DEFAULT 1,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Photos taken in the field; the id is chosen by the phone (a UUID), so an upload retried is harmless.
CREATE TABLE field_attachments (
  id           uuid PRIMARY KEY,
  worker_id    uuid NOT NULL REFERENCES users (id),
  content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
  bytes        integer NOT NULL,
  data         bytea NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX field_attachments_worker_idx ON field_attachments (worker_id);

-- One collected item: a visit, a patrol check-in, a verification, a hazard, a dispute … (never a registry change:
-- those are field_changes). org_unit_id: the grid of the address, else the worker's own unit.
CREATE TABLE field_items (
  id               uuid PRIMARY KEY,
  client_id        uuid NOT NULL,
  worker_id        uuid NOT NULL REFERENCES users (id),
  type_code        text NOT NULL REFERENCES field_item_types (code),
  type_version     integer NOT NULL,
  category_code    text NOT NULL,
  org_unit_id      uuid NOT NULL REFERENCES org_units (id),
  county_code      text NOT NULL,
  address_id       uuid REFERENCES addresses (id),
  task_id          uuid,
  correction_of    uuid REFERENCES field_items (id),
  data             jsonb NOT NULL DEFAULT '{}',
  note             text,
  photo_ids        uuid[] NOT NULL DEFAULT '{}',
  lng              double precision,
  lat              double precision,
  accuracy_m       double precision,
  occurred_at      timestamptz NOT NULL,
  received_at      timestamptz NOT NULL DEFAULT now(),
  status           text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'routed', 'closed', 'returned')),
  return_reason    text,
  returned_by      uuid REFERENCES users (id),
  returned_at      timestamptz,
  UNIQUE (worker_id, client_id)
);
CREATE INDEX field_items_unit_idx ON field_items (org_unit_id, received_at DESC);
CREATE INDEX field_items_worker_idx ON field_items (worker_id, occurred_at DESC);
CREATE INDEX field_items_address_idx ON field_items (address_id) WHERE address_id IS NOT NULL;
CREATE INDEX field_items_type_idx ON field_items (type_code, received_at DESC);

-- Where the last verification (核查) of an address stands.
CREATE TABLE field_address_checks (
  address_id      uuid PRIMARY KEY REFERENCES addresses (id),
  last_checked_at timestamptz NOT NULL,
  last_checked_by uuid NOT NULL REFERENCES users (id),
  last_item_id    uuid NOT NULL REFERENCES field_items (id),
  check_count     integer NOT NULL DEFAULT 1
);

-- A change to the registry proposed in the field: waits for the community officer unless the worker holds a
-- direct-change grant. base_version: the version of the record the worker saw (conflict detection); payload: the
-- proposal, identity numbers encrypted as in portal submissions.
CREATE TABLE field_changes (
  id             uuid PRIMARY KEY,
  client_id      uuid NOT NULL,
  worker_id      uuid NOT NULL REFERENCES users (id),
  kind           text NOT NULL CHECK (kind IN ('person_add', 'person_update', 'move_out', 'housing_update', 'unit_add', 'unit_update')),
  org_unit_id    uuid NOT NULL REFERENCES org_units (id),
  county_code    text NOT NULL,
  address_id     uuid NOT NULL REFERENCES addresses (id),
  target_id      uuid,
  base_version   text,
  payload        jsonb NOT NULL,
  id_blinds      text[] NOT NULL DEFAULT '{}',
  summary        text NOT NULL,
  status         text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'applied', 'conflict', 'rejected')),
  direct         boolean NOT NULL DEFAULT false,
  conflict       jsonb,
  result         jsonb,
  reviewed_by    uuid REFERENCES users (id),
  reviewed_at    timestamptz,
  review_note    text,
  occurred_at    timestamptz NOT NULL,
  received_at    timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (worker_id, client_id)
);
CREATE INDEX field_changes_queue_idx ON field_changes (org_unit_id, status, received_at);
CREATE INDEX field_changes_worker_idx ON field_changes (worker_id, received_at DESC);

-- The officer's permission for one worker to change the registry without review.
CREATE TABLE field_direct_grants (
  user_id    uuid PRIMARY KEY REFERENCES users (id),
  granted_by uuid NOT NULL REFERENCES users (id),
  granted_at timestamptz NOT NULL DEFAULT now(),
  note       text
);

-- Routing rules: an item type (+ conditions on its data) → the department that owns it, or the community officer.
-- conditions: [{"field","op","value"}] all of which must hold (docs/api-field.md).
CREATE TABLE routing_rules (
  id                   uuid PRIMARY KEY,
  name                 text NOT NULL,
  item_type_code       text NOT NULL REFERENCES field_item_types (code),
  conditions           jsonb NOT NULL DEFAULT '[]',
  target_kind          text NOT NULL CHECK (target_kind IN ('department', 'officer')),
  department_id        uuid REFERENCES departments (id),
  accept_hours         integer NOT NULL DEFAULT 24 CHECK (accept_hours BETWEEN 1 AND 720),
  escalate_to_department_id uuid REFERENCES departments (id),
  priority             integer NOT NULL DEFAULT 100,
  status               text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CHECK ((target_kind = 'department') = (department_id IS NOT NULL))
);
CREATE INDEX routing_rules_type_idx ON routing_rules (item_type_code) WHERE status = 'active';

-- An item sent to its owner: a department's inbox, or the community officer's (org_unit_id: the community).
CREATE TABLE dispatches (
  id               uuid PRIMARY KEY,
  item_id          uuid NOT NULL REFERENCES field_items (id),
  rule_id          uuid REFERENCES routing_rules (id),
  target_kind      text NOT NULL CHECK (target_kind IN ('department', 'officer')),
  department_id    uuid REFERENCES departments (id),
  org_unit_id      uuid NOT NULL REFERENCES org_units (id),
  county_code      text NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'closed', 'rejected')),
  accept_due_at    timestamptz NOT NULL,
  escalation_level integer NOT NULL DEFAULT 0,
  escalated_at     timestamptz,
  accepted_at      timestamptz,
  accepted_by      uuid REFERENCES users (id),
  closed_at        timestamptz,
  closed_by        uuid REFERENCES users (id),
  result           text CHECK (result IN ('resolved', 'referred', 'unfounded', 'other')),
  feedback         text,
  reject_reason    text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
-- one dispatch per item and owner (the officer's inbox counts as one owner)
CREATE UNIQUE INDEX dispatches_item_owner_idx ON dispatches (item_id, COALESCE(department_id, '00000000-0000-0000-0000-000000000000'::uuid));
CREATE INDEX dispatches_department_idx ON dispatches (department_id, status, created_at DESC);
CREATE INDEX dispatches_unit_idx ON dispatches (org_unit_id, status, created_at DESC);
CREATE INDEX dispatches_due_idx ON dispatches (accept_due_at) WHERE status = 'pending';

-- The timeline of a dispatch: routed, accepted, notes while handling, escalated, closed, rejected.
CREATE TABLE dispatch_events (
  id          uuid PRIMARY KEY,
  dispatch_id uuid NOT NULL REFERENCES dispatches (id),
  action      text NOT NULL,
  actor_id    uuid,
  note        text,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dispatch_events_dispatch_idx ON dispatch_events (dispatch_id, at);

-- Recurring quantified tasks: per grid (or every grid under a community/station), what to do, to which targets,
-- how often. target_kind: rental | floating_overdue | key_unit | patrol_point | address.
CREATE TABLE task_templates (
  id             uuid PRIMARY KEY,
  org_unit_id    uuid NOT NULL REFERENCES org_units (id),
  name           text NOT NULL,
  item_type_code text NOT NULL REFERENCES field_item_types (code),
  target_kind    text NOT NULL CHECK (target_kind IN ('rental', 'floating_overdue', 'key_unit', 'patrol_point', 'address')),
  point_ids      uuid[] NOT NULL DEFAULT '{}',
  recurrence     text NOT NULL CHECK (recurrence IN ('weekly', 'monthly', 'quarterly')),
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
  created_by     uuid REFERENCES users (id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX task_templates_unit_idx ON task_templates (org_unit_id);

-- One task: a template's target for one period (2026-W47, 2026-11, 2026-Q4), assigned to a worker of the grid.
CREATE TABLE tasks (
  id           uuid PRIMARY KEY,
  template_id  uuid NOT NULL REFERENCES task_templates (id),
  period       text NOT NULL,
  grid_id      uuid NOT NULL REFERENCES org_units (id),
  county_code  text NOT NULL,
  worker_id    uuid REFERENCES users (id),
  target_kind  text NOT NULL,
  target_id    uuid NOT NULL,
  address_id   uuid REFERENCES addresses (id),
  title        text NOT NULL,
  due_date     date NOT NULL,
  status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
  done_at      timestamptz,
  done_item_id uuid REFERENCES field_items (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (template_id, period, target_id)
);
CREATE INDEX tasks_worker_idx ON tasks (worker_id, status, due_date);
CREATE INDEX tasks_grid_idx ON tasks (grid_id, period);
CREATE INDEX tasks_address_idx ON tasks (address_id, status) WHERE address_id IS NOT NULL;
-- the tasks an item completed (the sync answer, the item's detail)
CREATE INDEX tasks_done_item_idx ON tasks (done_item_id) WHERE done_item_id IS NOT NULL;

-- Settings of the field capability that administrators change without code (assessment weights …).
CREATE TABLE field_settings (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_by uuid,
  updated_at timestamptz NOT NULL DEFAULT now()
);
