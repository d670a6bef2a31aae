-- toegang schema, version 7: PostgreSQL keeps its row counts too (issue
-- 26: `toegang stats` within 100 ms at a million persons on either store).
-- SQLite has kept them since 0005_row_counts.sql; this migration is
-- PostgreSQL's (schema/postgresql/0007_row_counts_postgresql.sql) and only
-- moves SQLite's version on.
SELECT 7;
