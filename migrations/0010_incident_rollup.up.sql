-- Monthly incident counts per H3 cell, category and unit: long hot-spot periods (a year against the year before)
-- read whole months from here and only the partial months at the edges from incidents_time_idx.
--
-- The table is kept by statement-level triggers on incidents in the same transaction as the write, so it can never
-- drift from the incidents: a CSV import, the 110 intake, an edit of the category or the place, a transfer to another
-- unit and a deletion all pass through them. incident_month_counts_rebuild() recomputes it from scratch.
CREATE TABLE incident_month_counts (
  month        date NOT NULL,           -- the first day of the Beijing month of incidents.day
  category_id  uuid NOT NULL,
  h3           bigint,
  county_code  text,
  station_id   uuid,
  community_id uuid,
  grid_id      uuid,
  n            integer NOT NULL
);
CREATE UNIQUE INDEX incident_month_counts_key ON incident_month_counts
  (month, category_id, h3, grid_id, community_id, station_id, county_code) NULLS NOT DISTINCT;

-- The net change of a set of incidents (+1 for each new row, −1 for each old one), applied by upsert. Keys are taken in
-- a fixed order, so two writers touching the same months lock their rows in the same order.
CREATE FUNCTION incident_month_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO incident_month_counts AS m (month, category_id, h3, county_code, station_id, community_id, grid_id, n)
    SELECT date_trunc('month', day)::date, category_id, h3, county_code, station_id, community_id, grid_id, count(*)
    FROM new_rows GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (month, category_id, h3, grid_id, community_id, station_id, county_code) DO UPDATE SET n = m.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO incident_month_counts AS m (month, category_id, h3, county_code, station_id, community_id, grid_id, n)
    SELECT date_trunc('month', day)::date, category_id, h3, county_code, station_id, community_id, grid_id, -count(*)
    FROM old_rows GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (month, category_id, h3, grid_id, community_id, station_id, county_code) DO UPDATE SET n = m.n + excluded.n;
  ELSE
    -- an update that moves no count (a status change, a note) writes nothing here
    INSERT INTO incident_month_counts AS m (month, category_id, h3, county_code, station_id, community_id, grid_id, n)
    SELECT month, category_id, h3, county_code, station_id, community_id, grid_id, sum(d)::integer
    FROM (
      SELECT date_trunc('month', day)::date AS month, category_id, h3, county_code, station_id, community_id, grid_id, 1 AS d FROM new_rows
      UNION ALL
      SELECT date_trunc('month', day)::date, category_id, h3, county_code, station_id, community_id, grid_id, -1 FROM old_rows
    ) x
    GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (month, category_id, h3, grid_id, community_id, station_id, county_code) DO UPDATE SET n = m.n + excluded.n;
  END IF;
  RETURN NULL;
END $$;

-- a transition table may serve one event only, hence three triggers on one function
CREATE TRIGGER incident_month_counts_ins AFTER INSERT ON incidents
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_month_counts_apply();
CREATE TRIGGER incident_month_counts_upd AFTER UPDATE ON incidents
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_month_counts_apply();
CREATE TRIGGER incident_month_counts_del AFTER DELETE ON incidents
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION incident_month_counts_apply();

-- Recomputes the whole table from the incidents (the first fill below; docs/operations.md for a check).
CREATE FUNCTION incident_month_counts_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE k bigint;
BEGIN
  LOCK TABLE incidents IN SHARE MODE;
  DELETE FROM incident_month_counts;
  INSERT INTO incident_month_counts (month, category_id, h3, county_code, station_id, community_id, grid_id, n)
  SELECT date_trunc('month', day)::date, category_id, h3, county_code, station_id, community_id, grid_id, count(*)
  FROM incidents GROUP BY 1, 2, 3, 4, 5, 6, 7;
  GET DIAGNOSTICS k = ROW_COUNT;
  RETURN k;
END $$;

SELECT incident_month_counts_rebuild();
