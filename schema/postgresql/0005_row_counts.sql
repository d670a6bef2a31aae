-- toegang schema, version 5, PostgreSQL dialect of schema/0005_row_counts.sql:
-- PostgreSQL counted its rows itself (PgStore::Counts) and kept no
-- row_count table until 0007_row_counts_postgresql.sql; this migration
-- only moves the version on.
SELECT 5;
