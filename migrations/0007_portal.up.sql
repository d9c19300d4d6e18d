-- The resident portal reached by scanning a door plate (扫码服务): the public face of the police offices,
-- residents' self-declarations and requests with the officers' review, appointments, and safety tips.

-- The part of a staff account residents see on a plate page: police number and a published photo (kept apart
-- from users so that sign-in never reads image bytes).
ALTER TABLE users ADD COLUMN police_no text;
CREATE TABLE staff_photos (
  user_id      uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp', 'image/svg+xml')),
  data         bytea NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Police stations (派出所), community police offices (社区警务室) and posts (警务站/岗亭) residents can visit.
-- hours: [{"day":1..7 (Monday = 1), "open":"08:30", "close":"12:00"}, …], evenings and weekends included.
CREATE TABLE police_offices (
  id          uuid PRIMARY KEY,
  org_unit_id uuid NOT NULL REFERENCES org_units (id),
  kind        text NOT NULL CHECK (kind IN ('station', 'office', 'post')),
  name        text NOT NULL,
  address     text,
  lng         double precision,
  lat         double precision,
  phone       text,
  hours       jsonb NOT NULL DEFAULT '[]',
  hours_note  text,
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX police_offices_unit_idx ON police_offices (org_unit_id);

-- The catalogue of services an office takes appointments for.
CREATE TABLE appointment_services (
  id            uuid PRIMARY KEY,
  office_id     uuid NOT NULL REFERENCES police_offices (id),
  category      text NOT NULL CHECK (category IN ('huzheng', 'zhian', 'churujing', 'zhengming', 'jiaotong', 'other')),
  name          text NOT NULL,
  description   text,
  required_docs text[] NOT NULL DEFAULT '{}',
  fully_online  boolean NOT NULL DEFAULT false,
  slot_minutes  integer NOT NULL DEFAULT 30 CHECK (slot_minutes BETWEEN 10 AND 240),
  capacity      integer NOT NULL DEFAULT 2 CHECK (capacity BETWEEN 1 AND 100),
  days_ahead    integer NOT NULL DEFAULT 7 CHECK (days_ahead BETWEEN 1 AND 60),
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX appointment_services_office_idx ON appointment_services (office_id);

-- Tracking numbers of submissions and appointments: a kind prefix, the day and this sequence.
CREATE SEQUENCE portal_tracking_seq;

CREATE TABLE appointments (
  id               uuid PRIMARY KEY,
  tracking_no      text NOT NULL UNIQUE,
  service_id       uuid NOT NULL REFERENCES appointment_services (id),
  office_id        uuid NOT NULL REFERENCES police_offices (id),
  resident_id      uuid NOT NULL REFERENCES residents (id),
  client_id        uuid,
  slot_start       timestamptz NOT NULL,
  slot_end         timestamptz NOT NULL,
  name             text NOT NULL,
  phone            text NOT NULL,
  note             text,
  status           text NOT NULL CHECK (status IN ('booked', 'cancelled', 'done', 'no_show')),
  reminder_sent_at timestamptz,
  cancelled_at     timestamptz,
  handled_at       timestamptz,
  handled_by       uuid REFERENCES users (id),
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX appointments_client_idx ON appointments (resident_id, client_id) WHERE client_id IS NOT NULL;
CREATE INDEX appointments_slot_idx ON appointments (service_id, slot_start) WHERE status <> 'cancelled';
CREATE INDEX appointments_office_day_idx ON appointments (office_id, slot_start);
CREATE INDEX appointments_resident_idx ON appointments (resident_id, created_at DESC);
CREATE INDEX appointments_reminder_idx ON appointments (slot_start) WHERE status = 'booked' AND reminder_sent_at IS NULL;

-- 安全防范提示: articles staff publish for the addresses under their unit.
CREATE TABLE safety_articles (
  id           uuid PRIMARY KEY,
  org_unit_id  uuid NOT NULL REFERENCES org_units (id),
  title        text NOT NULL,
  summary      text,
  body         text NOT NULL,
  status       text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'withdrawn')),
  published_at timestamptz,
  created_by   uuid NOT NULL REFERENCES users (id),
  updated_by   uuid REFERENCES users (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX safety_articles_unit_idx ON safety_articles (org_unit_id, status, published_at DESC);

-- What residents submit from a plate: rental (出租屋报备), residence (流动人口报备), help (报警求助/咨询),
-- mediation (矛盾纠纷调解申请) and ebike (电动自行车登记). Nothing reaches the registry until an officer approves.
-- Identity numbers inside payload are encrypted (AES-256-GCM) with their blind indexes in id_blinds.
CREATE TABLE portal_submissions (
  id            uuid PRIMARY KEY,
  tracking_no   text NOT NULL UNIQUE,
  kind          text NOT NULL CHECK (kind IN ('rental', 'residence', 'help', 'mediation', 'ebike')),
  resident_id   uuid NOT NULL REFERENCES residents (id),
  client_id     uuid,
  plate_id      uuid REFERENCES plates (id),
  address_id    uuid NOT NULL REFERENCES addresses (id),
  grid_id       uuid NOT NULL REFERENCES org_units (id),
  status        text NOT NULL CHECK (status IN ('submitted', 'reviewing', 'returned', 'approved', 'done', 'withdrawn')),
  payload       jsonb NOT NULL,
  summary       text NOT NULL,
  id_blinds     text[] NOT NULL DEFAULT '{}',
  return_reason text,
  reply         text,
  result        jsonb,
  assigned_to   uuid REFERENCES users (id),
  reviewed_by   uuid REFERENCES users (id),
  reviewed_at   timestamptz,
  submitted_at  timestamptz NOT NULL DEFAULT now(),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX portal_submissions_client_idx ON portal_submissions (resident_id, client_id) WHERE client_id IS NOT NULL;
CREATE INDEX portal_submissions_queue_idx ON portal_submissions (grid_id, status, submitted_at);
CREATE INDEX portal_submissions_resident_idx ON portal_submissions (resident_id, created_at DESC);
CREATE INDEX portal_submissions_blinds_idx ON portal_submissions USING gin (id_blinds);

-- The status timeline a resident sees.
CREATE TABLE portal_submission_events (
  id            uuid PRIMARY KEY,
  submission_id uuid NOT NULL REFERENCES portal_submissions (id) ON DELETE CASCADE,
  at            timestamptz NOT NULL DEFAULT now(),
  status        text NOT NULL,
  actor_kind    text NOT NULL CHECK (actor_kind IN ('resident', 'staff', 'system')),
  actor_id      uuid,
  actor_name    text,
  note          text
);
CREATE INDEX portal_submission_events_idx ON portal_submission_events (submission_id, at);

-- Photos attached to help requests (uploaded first, then named by the submission).
CREATE TABLE portal_attachments (
  id            uuid PRIMARY KEY,
  resident_id   uuid NOT NULL REFERENCES residents (id),
  submission_id uuid REFERENCES portal_submissions (id),
  content_type  text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
  bytes         integer NOT NULL,
  sha256        text NOT NULL,
  data          bytea NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX portal_attachments_resident_idx ON portal_attachments (resident_id, created_at);
CREATE INDEX portal_attachments_submission_idx ON portal_attachments (submission_id);

-- Self-declaration figures: residences and housing record where they came from.
CREATE INDEX residences_source_idx ON residences (source) WHERE to_date IS NULL;
