DROP TRIGGER IF EXISTS incident_month_counts_ins ON incidents;
DROP TRIGGER IF EXISTS incident_month_counts_upd ON incidents;
DROP TRIGGER IF EXISTS incident_month_counts_del ON incidents;
DROP FUNCTION IF EXISTS incident_month_counts_rebuild();
DROP FUNCTION IF EXISTS incident_month_counts_apply();
DROP TABLE IF EXISTS incident_month_counts;
