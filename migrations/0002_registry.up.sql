-- pg_trgm ships with PostgreSQL (contrib) and with PGlite; it is a trusted extension.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- 一标三实: standard addresses with QR plates, actual housing, population and units.

-- Standard addresses below a grid. Levels, coarse to fine (urban): road 街路巷 → door 门牌号 → compound 小区/单位
-- → building 楼栋 → unit 单元 → floor 楼层 → room 户室; rural: village 村 → group 组 → door 门牌号.
CREATE TABLE addresses (
  id           uuid PRIMARY KEY,
  parent_id    uuid REFERENCES addresses (id),
  level        text NOT NULL CHECK (level IN ('road', 'door', 'compound', 'building', 'unit', 'floor', 'room', 'village', 'group')),
  -- the element's own text: 黄河十二路 / 599号 / 香园小区 / 3号楼 / 2单元 / 5层 / 501室
  name         text NOT NULL,
  -- stable public code shaped like GB/T 39609: division code + street/compound + building/door + unit/room
  code         text NOT NULL UNIQUE,
  -- full standard text from the province down, e.g. 山东省滨州市滨城区彭李街道学苑社区黄河十二路599号香园小区3号楼2单元501室
  full_text    text NOT NULL,
  -- search key: full text without spaces and punctuation
  search_text  text NOT NULL,
  grid_id      uuid NOT NULL REFERENCES org_units (id),
  county_code  char(6) NOT NULL,
  path         text NOT NULL UNIQUE,
  lng          double precision,
  lat          double precision,
  status       text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (parent_id, name)
);
CREATE INDEX addresses_grid_idx ON addresses (grid_id);
CREATE INDEX addresses_parent_idx ON addresses (parent_id);
CREATE INDEX addresses_path_idx ON addresses (path text_pattern_ops);
CREATE INDEX addresses_search_trgm ON addresses USING gin (search_text gin_trgm_ops);

-- Status changes are rows, never overwritten.
CREATE TABLE address_status_history (
  id          uuid PRIMARY KEY,
  address_id  uuid NOT NULL REFERENCES addresses (id),
  status      text NOT NULL CHECK (status IN ('active', 'inactive')),
  reason      text,
  changed_by  uuid,
  changed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX address_status_history_idx ON address_status_history (address_id, changed_at);

-- Four kinds of plate, each bound to one address; the QR encodes {PUBLIC_BASE_URL}/q/{token}.
CREATE TABLE plates (
  id             uuid PRIMARY KEY,
  address_id     uuid NOT NULL REFERENCES addresses (id),
  kind           text NOT NULL CHECK (kind IN ('road', 'gate', 'building', 'room')),
  token          text NOT NULL UNIQUE,
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
  issued_at      timestamptz NOT NULL DEFAULT now(),
  issued_by      uuid,
  revoked_at     timestamptz,
  revoked_reason text,
  replaced_by    uuid REFERENCES plates (id)
);
CREATE INDEX plates_address_idx ON plates (address_id);
-- at most one live plate per address
CREATE UNIQUE INDEX plates_one_active ON plates (address_id) WHERE status = 'active';

-- Actual population. The identity number is stored only as AES-256-GCM ciphertext plus a keyed blind index;
-- the non-sensitive parts needed for work (birth date, sex, region, last four) are kept beside it.
CREATE TABLE persons (
  id                     uuid PRIMARY KEY,
  id_cipher              text,
  id_blind               text UNIQUE,
  id_kind                text NOT NULL DEFAULT 'resident_id' CHECK (id_kind IN ('resident_id', 'passport', 'other')),
  id_legacy              boolean NOT NULL DEFAULT false,
  id_last4               text,
  birth_date             date,
  sex                    char(1) CHECK (sex IN ('M', 'F')),
  region_code            char(6),
  name                   text NOT NULL,
  name_pinyin            text NOT NULL DEFAULT '',
  name_initials          text NOT NULL DEFAULT '',
  ethnicity              text,
  phone                  text,
  hukou_address          text,
  person_type            text NOT NULL DEFAULT 'registered' CHECK (person_type IN ('registered', 'floating', 'overseas')),
  nationality            text,
  passport_no_cipher     text,
  passport_blind         text UNIQUE,
  passport_expiry        date,
  floating_registered_on date,
  expected_stay_until    date,
  permit_issued_on       date,
  permit_next_endorsement date,
  -- the jurisdiction that holds the record (the grid of the current residence, else the registering unit)
  org_unit_id            uuid NOT NULL REFERENCES org_units (id),
  county_code            char(6) NOT NULL,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX persons_org_idx ON persons (org_unit_id);
CREATE INDEX persons_name_idx ON persons (name text_pattern_ops);
CREATE INDEX persons_pinyin_idx ON persons (name_pinyin text_pattern_ops);
CREATE INDEX persons_initials_idx ON persons (name_initials text_pattern_ops);
CREATE INDEX persons_phone_idx ON persons (phone);

-- Residence history: moving out closes a record (to_date), never deletes it.
CREATE TABLE residences (
  id           uuid PRIMARY KEY,
  person_id    uuid NOT NULL REFERENCES persons (id),
  address_id   uuid NOT NULL REFERENCES addresses (id),
  relation     text NOT NULL CHECK (relation IN ('householder', 'spouse', 'child', 'parent', 'grandchild', 'grandparent', 'sibling', 'relative', 'tenant', 'roommate', 'employee', 'other')),
  from_date    date NOT NULL,
  to_date      date,
  source       text NOT NULL DEFAULT 'manual',
  created_at   timestamptz NOT NULL DEFAULT now(),
  CHECK (to_date IS NULL OR to_date >= from_date)
);
CREATE INDEX residences_person_idx ON residences (person_id, from_date);
CREATE INDEX residences_address_idx ON residences (address_id, from_date);
CREATE UNIQUE INDEX residences_one_current ON residences (person_id, address_id) WHERE to_date IS NULL;

-- Actual housing, per room or house.
CREATE TABLE housing (
  id                  uuid PRIMARY KEY,
  address_id          uuid NOT NULL UNIQUE REFERENCES addresses (id),
  owner_person_id     uuid REFERENCES persons (id),
  owner_name          text,
  owner_phone         text,
  property_type       text NOT NULL DEFAULT 'commercial' CHECK (property_type IN ('commercial', 'affordable', 'public_rental', 'self_built', 'collective', 'other')),
  use                 text NOT NULL CHECK (use IN ('self', 'rent', 'vacant', 'business')),
  group_rental        boolean NOT NULL DEFAULT false,
  area_m2             numeric(8, 2),
  rooms               integer,
  landlord_person_id  uuid REFERENCES persons (id),
  lease_from          date,
  lease_to            date,
  rental_registration text CHECK (rental_registration IN ('registered', 'unregistered', 'expired')),
  star_rating         smallint CHECK (star_rating BETWEEN 1 AND 5),
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);

-- Actual units (organisations).
CREATE TABLE units (
  id               uuid PRIMARY KEY,
  credit_code      text UNIQUE,
  other_reg_no     text UNIQUE,
  name             text NOT NULL,
  unit_type        text NOT NULL,
  key_industry     text CHECK (key_industry IN ('hotel', 'courier', 'ebike', 'precursor_chemical', 'school', 'hospital', 'financial', 'entertainment', 'rental_agency', 'other')),
  address_id       uuid REFERENCES addresses (id),
  legal_rep_name   text,
  legal_rep_person_id uuid REFERENCES persons (id),
  contact_name     text,
  contact_phone    text,
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
  org_unit_id      uuid NOT NULL REFERENCES org_units (id),
  county_code      char(6) NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (credit_code IS NOT NULL OR other_reg_no IS NOT NULL)
);
CREATE INDEX units_org_idx ON units (org_unit_id);
CREATE INDEX units_address_idx ON units (address_id);

CREATE TABLE employments (
  id         uuid PRIMARY KEY,
  unit_id    uuid NOT NULL REFERENCES units (id),
  person_id  uuid NOT NULL REFERENCES persons (id),
  role       text,
  from_date  date NOT NULL,
  to_date    date,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (to_date IS NULL OR to_date >= from_date)
);
CREATE INDEX employments_person_idx ON employments (person_id);
CREATE INDEX employments_unit_idx ON employments (unit_id);
