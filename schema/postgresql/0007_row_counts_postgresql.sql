-- toegang schema, version 7, PostgreSQL: the rows of the counted tables,
-- kept as they change, as SQLite keeps them (schema/0005_row_counts.sql),
-- so that `toegang stats` reads ten numbers instead of counting a million
-- rows per table. A trigger per statement (not per row) adds what its
-- transition table holds, so a COPY of a million rows costs one update.
-- row_count_real counts the tables themselves: verify compares the two.
CREATE TABLE row_count (
  name TEXT PRIMARY KEY,
  n    BIGINT NOT NULL
);
CREATE VIEW row_count_real (name, n) AS
  SELECT 'enterprise', count(*) FROM enterprise
  UNION ALL SELECT 'person', count(*) FROM person
  UNION ALL SELECT 'facility', count(*) FROM facility
  UNION ALL SELECT 'htb', count(*) FROM htb
  UNION ALL SELECT 'domain_manager', count(*) FROM domain_manager
  UNION ALL SELECT 'subafdeling', count(*) FROM subafdeling
  UNION ALL SELECT 'user', count(*) FROM "user"
  UNION ALL SELECT 'user_right', count(*) FROM user_right
  UNION ALL SELECT 'audit', count(*) FROM audit
  UNION ALL SELECT 'active_enterprise', count(*) FROM enterprise
    WHERE active = 1;
INSERT INTO row_count (name, n) SELECT name, n FROM row_count_real;

-- TG_ARGV[0]: the counted name.
CREATE FUNCTION toegang_count_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE row_count SET n = n + (SELECT count(*) FROM added)
    WHERE name = TG_ARGV[0];
  RETURN NULL;
END $$;
CREATE FUNCTION toegang_count_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE row_count SET n = n - (SELECT count(*) FROM removed)
    WHERE name = TG_ARGV[0];
  RETURN NULL;
END $$;
-- The active enterprises: added, removed, or active changed.
CREATE FUNCTION toegang_count_active_added() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE row_count SET n = n + (SELECT count(*) FROM added WHERE active = 1)
    WHERE name = 'active_enterprise';
  RETURN NULL;
END $$;
CREATE FUNCTION toegang_count_active_removed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE row_count SET n = n - (SELECT count(*) FROM removed WHERE active = 1)
    WHERE name = 'active_enterprise';
  RETURN NULL;
END $$;
CREATE FUNCTION toegang_count_active_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE row_count SET n = n + (SELECT count(*) FROM added WHERE active = 1)
      - (SELECT count(*) FROM removed WHERE active = 1)
    WHERE name = 'active_enterprise';
  RETURN NULL;
END $$;

CREATE TRIGGER enterprise_count_insert AFTER INSERT ON enterprise
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT
  EXECUTE FUNCTION toegang_count_added('enterprise');
CREATE TRIGGER enterprise_count_delete AFTER DELETE ON enterprise
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT
  EXECUTE FUNCTION toegang_count_removed('enterprise');
CREATE TRIGGER active_enterprise_count_insert AFTER INSERT ON enterprise
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT
  EXECUTE FUNCTION toegang_count_active_added();
CREATE TRIGGER active_enterprise_count_delete AFTER DELETE ON enterprise
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT
  EXECUTE FUNCTION toegang_count_active_removed();
CREATE TRIGGER active_enterprise_count_update AFTER UPDATE ON enterprise
  REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT
  EXECUTE FUNCTION toegang_count_active_changed();

CREATE TRIGGER person_count_insert AFTER INSERT ON person
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT
  EXECUTE FUNCTION toegang_count_added('person');
CREATE TRIGGER person_count_delete AFTER DELETE ON person
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT
  EXECUTE FUNCTION toegang_count_removed('person');
CREATE TRIGGER facility_count_insert AFTER INSERT ON facility
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT
  EXECUTE FUNCTION toegang_count_added('facility');
CREATE TRIGGER facility_count_delete AFTER DELETE ON facility
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT
  EXECUTE FUNCTION toegang_count_removed('facility');
CREATE TRIGGER htb_count_insert AFTER INSERT ON htb
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT
  EXECUTE FUNCTION toegang_count_added('htb');
CREATE TRIGGER htb_count_delete AFTER DELETE ON htb
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT
  EXECUTE FUNCTION toegang_count_removed('htb');
CREATE TRIGGER domain_manager_count_insert AFTER INSERT ON domain_manager
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT
  EXECUTE FUNCTION toegang_count_added('domain_manager');
CREATE TRIGGER domain_manager_count_delete AFTER DELETE ON domain_manager
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT
  EXECUTE FUNCTION toegang_count_removed('domain_manager');
CREATE TRIGGER subafdeling_count_insert AFTER INSERT ON subafdeling
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT
  EXECUTE FUNCTION toegang_count_added('subafdeling');
CREATE TRIGGER subafdeling_count_delete AFTER DELETE ON subafdeling
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT
  EXECUTE FUNCTION toegang_count_removed('subafdeling');
CREATE TRIGGER user_count_insert AFTER INSERT ON "user"
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT
  EXECUTE FUNCTION toegang_count_added('user');
CREATE TRIGGER user_count_delete AFTER DELETE ON "user"
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT
  EXECUTE FUNCTION toegang_count_removed('user');
CREATE TRIGGER user_right_count_insert AFTER INSERT ON user_right
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT
  EXECUTE FUNCTION toegang_count_added('user_right');
CREATE TRIGGER user_right_count_delete AFTER DELETE ON user_right
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT
  EXECUTE FUNCTION toegang_count_removed('user_right');
CREATE TRIGGER audit_count_insert AFTER INSERT ON audit
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT
  EXECUTE FUNCTION toegang_count_added('audit');
CREATE TRIGGER audit_count_delete AFTER DELETE ON audit
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT
  EXECUTE FUNCTION toegang_count_removed('audit');
