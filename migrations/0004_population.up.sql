-- 三实 (actual population, housing, units): what the services need beyond 0002.

-- A second pinyin reading of the name when the surname has several readings (单 shan/dan, 曾 zeng/ceng,
-- 解 xie/jie, 仇 qiu/chou …): the surname reading goes into name_pinyin, the ordinary reading here, so both
-- spellings find the person. Empty when both readings agree.
ALTER TABLE persons ADD COLUMN name_pinyin_alt text NOT NULL DEFAULT '';
ALTER TABLE persons ADD COLUMN name_initials_alt text NOT NULL DEFAULT '';
CREATE INDEX persons_pinyin_alt_idx ON persons (name_pinyin_alt text_pattern_ops) WHERE name_pinyin_alt <> '';
CREATE INDEX persons_initials_alt_idx ON persons (name_initials_alt text_pattern_ops) WHERE name_initials_alt <> '';
-- phone search by a part of the number (last four digits …)
CREATE INDEX persons_phone_trgm ON persons USING gin (phone gin_trgm_ops);

-- Idempotent submissions from phones: the client sends a UUID per submission; a retry finds the first result.
CREATE TABLE client_submissions (
  client_id  uuid PRIMARY KEY,
  actor_id   uuid NOT NULL,
  kind       text NOT NULL,
  result_id  uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One current residence per person (moving in elsewhere closes the previous one first), and one current
-- householder per address. A residence is current while to_date IS NULL.
CREATE UNIQUE INDEX residences_one_current_per_person ON residences (person_id) WHERE to_date IS NULL;
CREATE UNIQUE INDEX residences_one_householder ON residences (address_id) WHERE to_date IS NULL AND relation = 'householder';

-- One open employment per person and unit.
CREATE UNIQUE INDEX employments_one_current ON employments (unit_id, person_id) WHERE to_date IS NULL;

-- Unit search by a part of the name.
CREATE INDEX units_name_trgm ON units USING gin (name gin_trgm_ops);
CREATE INDEX units_industry_idx ON units (key_industry) WHERE key_industry IS NOT NULL;
