DROP TABLE IF EXISTS import_keys;
DROP TABLE IF EXISTS import_issues;
DROP TABLE IF EXISTS import_jobs;
