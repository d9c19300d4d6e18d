-- Bulk import of registry data (addresses, people with residences, housing, units) from XLSX/CSV.
--
-- A job moves uploaded → validating → validated → committing → committed (or cancelled / failed). The file
-- itself lives under DATA_DIR/imports/<job id> and never changes (its SHA-256 is kept). Each phase walks the
-- file in batches; a batch's effects and the job's cursor are written in one transaction, so a crash or a
-- restart resumes after the last finished batch and never applies a row twice. A runner holds a job by a
-- lease (runner_id + heartbeat_at); a lease older than a minute is taken over.
CREATE TABLE import_jobs (
  id               uuid PRIMARY KEY,
  kind             text NOT NULL CHECK (kind IN ('addresses', 'persons', 'housing', 'units')),
  status           text NOT NULL CHECK (status IN ('uploaded', 'validating', 'validated', 'committing', 'committed', 'cancelled', 'failed')),
  file_name        text NOT NULL,
  file_format      text NOT NULL CHECK (file_format IN ('csv', 'xlsx')),
  file_bytes       bigint NOT NULL,
  file_sha256      text NOT NULL,
  headers          jsonb NOT NULL,
  mapping          jsonb,
  skip_invalid     boolean NOT NULL DEFAULT false,
  created_by       uuid NOT NULL REFERENCES users (id),
  org_unit_id      uuid NOT NULL REFERENCES org_units (id),
  client_ip        text,
  -- the spreadsheet row (header = 1) up to which the current phase has finished
  cursor_row       integer NOT NULL DEFAULT 1,
  bytes_done       bigint NOT NULL DEFAULT 0,
  rows_total       integer,
  -- dry-run and commit tallies: {rows, valid, invalid, create, update, unchanged, issues}
  dry_run          jsonb,
  committed        jsonb,
  error            text,
  cancel_requested boolean NOT NULL DEFAULT false,
  runner_id        text,
  heartbeat_at     timestamptz,
  phase_started_at timestamptz,
  finished_at      timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX import_jobs_org_idx ON import_jobs (org_unit_id, created_at DESC);
CREATE INDEX import_jobs_active_idx ON import_jobs (status) WHERE status IN ('validating', 'committing');

-- The row-level report: row, column, value (identity numbers masked), reason.
CREATE TABLE import_issues (
  id          bigserial PRIMARY KEY,
  job_id      uuid NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
  phase       text NOT NULL CHECK (phase IN ('validate', 'commit')),
  row_no      integer NOT NULL,
  column_name text,
  field       text,
  value       text,
  reason      text NOT NULL
);
CREATE INDEX import_issues_job_idx ON import_issues (job_id, row_no);

-- The record key of every valid row (blind index, code or credit code) with the first row that holds it, so a
-- key repeated further down the file is reported without keeping the keys in memory.
CREATE TABLE import_keys (
  job_id uuid NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
  key    text NOT NULL,
  row_no integer NOT NULL,
  PRIMARY KEY (job_id, key)
);
