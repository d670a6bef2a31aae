-- toegang schema: the rows of the counted tables, kept as they change, so
-- that `toegang stats` reads ten numbers instead of counting a million rows
-- per table (issue 25: every command within 100 ms at a million persons).
-- Each counted table has an insert and a delete trigger; the enterprises
-- also count the active ones (insert, delete, and an update of active).
-- row_count_real counts the tables themselves: verify compares the two,
-- and the bulk writer, which drops the triggers for its load, refills
-- row_count from it at its end.
CREATE TABLE row_count (
  name TEXT PRIMARY KEY,
  n    INTEGER NOT NULL
);
CREATE VIEW row_count_real (name, n) AS
  SELECT 'enterprise', count(*) FROM enterprise
  UNION ALL
  SELECT 'person', count(*) FROM person
  UNION ALL
  SELECT 'facility', count(*) FROM facility
  UNION ALL
  SELECT 'htb', count(*) FROM htb
  UNION ALL
  SELECT 'domain_manager', count(*) FROM domain_manager
  UNION ALL
  SELECT 'subafdeling', count(*) FROM subafdeling
  UNION ALL
  SELECT 'user', count(*) FROM user
  UNION ALL
  SELECT 'user_right', count(*) FROM user_right
  UNION ALL
  SELECT 'audit', count(*) FROM audit
  UNION ALL
  SELECT 'active_enterprise', count(*) FROM enterprise WHERE active = 1;
INSERT INTO row_count (name, n) SELECT name, n FROM row_count_real;

CREATE TRIGGER enterprise_count_insert AFTER INSERT ON enterprise BEGIN
  UPDATE row_count SET n = n + 1 WHERE name = 'enterprise';
END;
CREATE TRIGGER enterprise_count_delete AFTER DELETE ON enterprise BEGIN
  UPDATE row_count SET n = n - 1 WHERE name = 'enterprise';
END;
CREATE TRIGGER person_count_insert AFTER INSERT ON person BEGIN
  UPDATE row_count SET n = n + 1 WHERE name = 'person';
END;
CREATE TRIGGER person_count_delete AFTER DELETE ON person BEGIN
  UPDATE row_count SET n = n - 1 WHERE name = 'person';
END;
CREATE TRIGGER facility_count_insert AFTER INSERT ON facility BEGIN
  UPDATE row_count SET n = n + 1 WHERE name = 'facility';
END;
CREATE TRIGGER facility_count_delete AFTER DELETE ON facility BEGIN
  UPDATE row_count SET n = n - 1 WHERE name = 'facility';
END;
CREATE TRIGGER htb_count_insert AFTER INSERT ON htb BEGIN
  UPDATE row_count SET n = n + 1 WHERE name = 'htb';
END;
CREATE TRIGGER htb_count_delete AFTER DELETE ON htb BEGIN
  UPDATE row_count SET n = n - 1 WHERE name = 'htb';
END;
CREATE TRIGGER domain_manager_count_insert AFTER INSERT ON domain_manager BEGIN
  UPDATE row_count SET n = n + 1 WHERE name = 'domain_manager';
END;
CREATE TRIGGER domain_manager_count_delete AFTER DELETE ON domain_manager BEGIN
  UPDATE row_count SET n = n - 1 WHERE name = 'domain_manager';
END;
CREATE TRIGGER subafdeling_count_insert AFTER INSERT ON subafdeling BEGIN
  UPDATE row_count SET n = n + 1 WHERE name = 'subafdeling';
END;
CREATE TRIGGER subafdeling_count_delete AFTER DELETE ON subafdeling BEGIN
  UPDATE row_count SET n = n - 1 WHERE name = 'subafdeling';
END;
CREATE TRIGGER user_count_insert AFTER INSERT ON user BEGIN
  UPDATE row_count SET n = n + 1 WHERE name = 'user';
END;
CREATE TRIGGER user_count_delete AFTER DELETE ON user BEGIN
  UPDATE row_count SET n = n - 1 WHERE name = 'user';
END;
CREATE TRIGGER user_right_count_insert AFTER INSERT ON user_right BEGIN
  UPDATE row_count SET n = n + 1 WHERE name = 'user_right';
END;
CREATE TRIGGER user_right_count_delete AFTER DELETE ON user_right BEGIN
  UPDATE row_count SET n = n - 1 WHERE name = 'user_right';
END;
CREATE TRIGGER audit_count_insert AFTER INSERT ON audit BEGIN
  UPDATE row_count SET n = n + 1 WHERE name = 'audit';
END;
CREATE TRIGGER audit_count_delete AFTER DELETE ON audit BEGIN
  UPDATE row_count SET n = n - 1 WHERE name = 'audit';
END;
CREATE TRIGGER active_enterprise_count_insert AFTER INSERT ON enterprise
  WHEN new.active = 1 BEGIN
  UPDATE row_count SET n = n + 1 WHERE name = 'active_enterprise';
END;
CREATE TRIGGER active_enterprise_count_delete AFTER DELETE ON enterprise
  WHEN old.active = 1 BEGIN
  UPDATE row_count SET n = n - 1 WHERE name = 'active_enterprise';
END;
CREATE TRIGGER active_enterprise_count_update AFTER UPDATE OF active
  ON enterprise WHEN new.active <> old.active BEGIN
  UPDATE row_count SET n = n + new.active - old.active
    WHERE name = 'active_enterprise';
END;
