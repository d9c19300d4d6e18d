-- Organisation, accounts, sessions, one-time codes, SMS outbox and the hash-chained audit log.

CREATE TABLE org_units (
  id            uuid PRIMARY KEY,
  parent_id     uuid REFERENCES org_units (id),
  kind          text NOT NULL CHECK (kind IN ('city_bureau', 'branch', 'station', 'community', 'grid')),
  code          text NOT NULL UNIQUE,
  name          text NOT NULL,
  -- materialised path of ids, '/root/.../self/': a subtree is a prefix match
  path          text NOT NULL UNIQUE,
  -- the county (GB/T 2260) this unit belongs to: the jurisdiction root and the future distribution key
  county_code   char(6),
  contact_phone text,
  address       text,
  boundary      jsonb,
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX org_units_path_idx ON org_units (path text_pattern_ops);
CREATE INDEX org_units_parent_idx ON org_units (parent_id);

CREATE TABLE departments (
  id            uuid PRIMARY KEY,
  org_unit_id   uuid NOT NULL REFERENCES org_units (id),
  kind          text NOT NULL CHECK (kind IN ('internal', 'partner')),
  category      text NOT NULL,
  name          text NOT NULL,
  contact_phone text,
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_unit_id, name)
);

CREATE TABLE roles (
  code        text PRIMARY KEY,
  name        text NOT NULL,
  name_en     text NOT NULL,
  description text NOT NULL DEFAULT '',
  permissions text[] NOT NULL DEFAULT '{}',
  builtin     boolean NOT NULL DEFAULT false
);

CREATE TABLE users (
  id                   uuid PRIMARY KEY,
  username             text NOT NULL UNIQUE,
  display_name         text NOT NULL,
  password_hash        text NOT NULL,
  org_unit_id          uuid NOT NULL REFERENCES org_units (id),
  department_id        uuid REFERENCES departments (id),
  phone                text,
  status               text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  failed_attempts      integer NOT NULL DEFAULT 0,
  locked_until         timestamptz,
  must_change_password boolean NOT NULL DEFAULT false,
  totp_secret          text,
  totp_pending_secret  text,
  totp_enabled         boolean NOT NULL DEFAULT false,
  last_login_at        timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_org_unit_idx ON users (org_unit_id);

CREATE TABLE user_roles (
  user_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role_code text NOT NULL REFERENCES roles (code),
  PRIMARY KEY (user_id, role_code)
);

CREATE TABLE residents (
  id            uuid PRIMARY KEY,
  phone         text NOT NULL UNIQUE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_login_at timestamptz
);

CREATE TABLE sessions (
  id             uuid PRIMARY KEY,
  token_hash     text NOT NULL UNIQUE,
  principal_kind text NOT NULL CHECK (principal_kind IN ('staff', 'resident')),
  user_id        uuid REFERENCES users (id) ON DELETE CASCADE,
  resident_id    uuid REFERENCES residents (id) ON DELETE CASCADE,
  created_at     timestamptz NOT NULL DEFAULT now(),
  last_seen_at   timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL,
  revoked_at     timestamptz,
  ip             text,
  user_agent     text,
  CHECK ((principal_kind = 'staff' AND user_id IS NOT NULL) OR (principal_kind = 'resident' AND resident_id IS NOT NULL))
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE otp_codes (
  id          uuid PRIMARY KEY,
  phone       text NOT NULL,
  code_hash   text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  attempts    integer NOT NULL DEFAULT 0,
  consumed_at timestamptz
);
CREATE INDEX otp_codes_phone_idx ON otp_codes (phone, created_at DESC);

CREATE TABLE sms_outbox (
  id         uuid PRIMARY KEY,
  phone      text NOT NULL,
  body       text NOT NULL,
  provider   text NOT NULL,
  status     text NOT NULL DEFAULT 'sent',
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_log (
  seq                bigint PRIMARY KEY,
  id                 uuid NOT NULL UNIQUE,
  at                 timestamptz NOT NULL,
  actor_kind         text NOT NULL,
  actor_id           uuid,
  actor_name         text,
  actor_role         text,
  org_unit_id        uuid,
  action             text NOT NULL,
  subject_type       text,
  subject_ids        text[] NOT NULL DEFAULT '{}',
  purpose            text,
  ip                 text,
  user_agent         text,
  outcome            text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
  cross_jurisdiction boolean NOT NULL DEFAULT false,
  detail             jsonb,
  prev_hash          text NOT NULL,
  hash               text NOT NULL
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at);
CREATE INDEX audit_log_action_idx ON audit_log (action, at);
CREATE INDEX audit_log_subject_idx ON audit_log USING gin (subject_ids);

-- The newest row's seq and hash, written with every append: a truncated tail no longer matches it.
CREATE TABLE audit_head (
  id   integer PRIMARY KEY CHECK (id = 1),
  seq  bigint NOT NULL,
  hash text NOT NULL
);

-- Append-only: ordinary statements cannot change or remove audit rows. (A superuser can still disable the
-- trigger; the hash chain is what detects that.)
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
