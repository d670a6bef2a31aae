-- toegang schema, version 5, PostgreSQL dialect of schema/0005_row_counts.sql:
-- PostgreSQL counts its rows itself (PgStore::Counts) and keeps no
-- row_count table; this migration only moves the version on.
SELECT 5;
