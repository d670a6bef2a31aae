-- toegang schema, version 1: catalogue, registries, delegation state, audit.
-- Identifiers are stored in their canonical text form (INSZ 11 digits,
-- KBO 10 digits, HCO as given). Times are ISO-8601 UTC text.

CREATE TABLE revision (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  value INTEGER NOT NULL
);
INSERT INTO revision (id, value) VALUES (1, 0);

-- Catalogue (SPEC 4.1) ---------------------------------------------------
CREATE TABLE capacity (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL
);
CREATE TABLE subdivision (
  code     TEXT PRIMARY KEY,
  capacity TEXT NOT NULL REFERENCES capacity(code),
  name     TEXT NOT NULL
);
CREATE TABLE application (
  code     TEXT PRIMARY KEY,
  capacity TEXT NOT NULL REFERENCES capacity(code),
  name     TEXT NOT NULL
);
-- Facility rule: an enterprise that has a facility of a trigger type may
-- carry the application only on a facility of an allowed type.
CREATE TABLE facility_rule (
  application  TEXT NOT NULL REFERENCES application(code),
  trigger_type TEXT NOT NULL,
  allowed_type TEXT NOT NULL,
  PRIMARY KEY (application, trigger_type, allowed_type)
);

INSERT INTO capacity VALUES ('ehealth-gezondheidszorg', 'eHealth Gezondheidszorg');
INSERT INTO subdivision VALUES ('gezondheidszorg', 'ehealth-gezondheidszorg', 'Gezondheidszorg');
INSERT INTO application VALUES ('ama-wvg', 'ehealth-gezondheidszorg',
  'Departement Welzijn, Volksgezondheid en Gezin: Aanbod van arbeidsmatige activiteiten');
INSERT INTO application VALUES ('vipa', 'ehealth-gezondheidszorg',
  'Vlaams infrastructuurfonds voor Persoonsgebonden aangelegenheden');
INSERT INTO facility_rule VALUES
  ('ama-wvg', '009', '009'), ('ama-wvg', '009', '010'),
  ('ama-wvg', '010', '009'), ('ama-wvg', '010', '010'),
  ('ama-wvg', '089', '009'), ('ama-wvg', '089', '010');

-- Registries (SPEC 4.2) --------------------------------------------------
CREATE TABLE enterprise (
  kbo            TEXT PRIMARY KEY,
  name           TEXT NOT NULL DEFAULT '',
  active         INTEGER NOT NULL CHECK (active IN (0, 1)),
  juridical_form TEXT NOT NULL DEFAULT '',
  start_date     TEXT NOT NULL DEFAULT ''
);
CREATE TABLE person (
  insz TEXT PRIMARY KEY,
  name TEXT NOT NULL DEFAULT ''
);
CREATE TABLE function (
  kbo  TEXT NOT NULL REFERENCES enterprise(kbo),
  insz TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('legal_representative', 'employee')),
  PRIMARY KEY (kbo, insz, role)
);
CREATE INDEX function_by_insz ON function(insz);
CREATE TABLE facility (
  hco       TEXT PRIMARY KEY,
  name      TEXT NOT NULL,
  type_code TEXT NOT NULL,
  kbo       TEXT NOT NULL REFERENCES enterprise(kbo),
  active    INTEGER NOT NULL CHECK (active IN (0, 1))
);
CREATE INDEX facility_by_kbo ON facility(kbo);

-- Delegation state (SPEC 4.3); every link records who made it and when ----
CREATE TABLE htb (
  kbo         TEXT PRIMARY KEY REFERENCES enterprise(kbo),
  insz        TEXT NOT NULL,
  email       TEXT NOT NULL DEFAULT '',
  phone       TEXT NOT NULL DEFAULT '',
  by_insz     TEXT NOT NULL,
  revision    INTEGER NOT NULL,
  at          TEXT NOT NULL
);
CREATE TABLE active_capacity (
  kbo      TEXT NOT NULL REFERENCES enterprise(kbo),
  capacity TEXT NOT NULL REFERENCES capacity(code),
  by_insz  TEXT NOT NULL,
  revision INTEGER NOT NULL,
  at       TEXT NOT NULL,
  PRIMARY KEY (kbo, capacity)
);
CREATE TABLE domain_manager (
  kbo         TEXT NOT NULL REFERENCES enterprise(kbo),
  capacity    TEXT NOT NULL REFERENCES capacity(code),
  subdivision TEXT NOT NULL REFERENCES subdivision(code),
  insz        TEXT NOT NULL,
  role        TEXT NOT NULL CHECK (role IN ('tb', 'co_tb')),
  by_insz     TEXT NOT NULL,
  revision    INTEGER NOT NULL,
  at          TEXT NOT NULL,
  PRIMARY KEY (kbo, capacity, subdivision, insz)
);
CREATE UNIQUE INDEX one_tb_per_domain ON domain_manager(kbo, capacity, subdivision)
  WHERE role = 'tb';
-- AUTOINCREMENT: the id of a removed subafdeling is never given again, so
-- the audit log's references stay unambiguous.
CREATE TABLE subafdeling (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  kbo         TEXT NOT NULL REFERENCES enterprise(kbo),
  capacity    TEXT NOT NULL REFERENCES capacity(code),
  subdivision TEXT NOT NULL REFERENCES subdivision(code),
  hco         TEXT NOT NULL REFERENCES facility(hco),
  email       TEXT NOT NULL,
  by_insz     TEXT NOT NULL,
  revision    INTEGER NOT NULL,
  at          TEXT NOT NULL,
  UNIQUE (kbo, capacity, subdivision, hco)
);
CREATE INDEX subafdeling_by_hco ON subafdeling(hco);
CREATE TABLE subafdeling_manager (
  subafdeling INTEGER NOT NULL REFERENCES subafdeling(id) ON DELETE CASCADE,
  insz        TEXT NOT NULL,
  by_insz     TEXT NOT NULL,
  revision    INTEGER NOT NULL,
  at          TEXT NOT NULL,
  PRIMARY KEY (subafdeling, insz)
);
CREATE TABLE authorization (
  subafdeling INTEGER NOT NULL REFERENCES subafdeling(id) ON DELETE CASCADE,
  application TEXT NOT NULL REFERENCES application(code),
  by_insz     TEXT NOT NULL,
  revision    INTEGER NOT NULL,
  at          TEXT NOT NULL,
  PRIMARY KEY (subafdeling, application)
);
CREATE TABLE user (
  subafdeling INTEGER NOT NULL REFERENCES subafdeling(id) ON DELETE CASCADE,
  insz        TEXT NOT NULL,
  by_insz     TEXT NOT NULL,
  revision    INTEGER NOT NULL,
  at          TEXT NOT NULL,
  PRIMARY KEY (subafdeling, insz)
);
CREATE INDEX user_by_insz ON user(insz);
CREATE TABLE user_right (
  subafdeling INTEGER NOT NULL,
  insz        TEXT NOT NULL,
  application TEXT NOT NULL REFERENCES application(code),
  by_insz     TEXT NOT NULL,
  revision    INTEGER NOT NULL,
  at          TEXT NOT NULL,
  PRIMARY KEY (subafdeling, insz, application),
  FOREIGN KEY (subafdeling, insz) REFERENCES user(subafdeling, insz)
    ON DELETE CASCADE,
  FOREIGN KEY (subafdeling, application)
    REFERENCES authorization(subafdeling, application) ON DELETE CASCADE
);

-- Audit log: every committed change (revision set) and every refusal
-- (revision NULL), in order. Detail is a JSON object.
CREATE TABLE audit (
  seq      INTEGER PRIMARY KEY AUTOINCREMENT,
  revision INTEGER,
  at       TEXT NOT NULL,
  actor    TEXT NOT NULL DEFAULT '',
  action   TEXT NOT NULL,
  kbo      TEXT NOT NULL DEFAULT '',
  outcome  TEXT NOT NULL CHECK (outcome IN ('ok', 'refused')),
  code     TEXT NOT NULL DEFAULT '',
  detail   TEXT NOT NULL DEFAULT '{}',
  message  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_revision ON audit(revision);
CREATE INDEX audit_by_kbo ON audit(kbo, seq);
