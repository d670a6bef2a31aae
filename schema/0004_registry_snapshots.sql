-- toegang schema: registries as really published (issue 23).
-- (Numbered 0003: 0002 is another change's; the lead renumbers if needed.)

-- A KBO function that a full functions import (--full) ended: the row left
-- `function`; this remembers it, so that a former legal representative is
-- told why they may no longer act (code function_ended) and `who` can name
-- an HTB appointed by a former WV. A function listed again leaves this
-- table.
CREATE TABLE function_ended (
  kbo      TEXT NOT NULL REFERENCES enterprise(kbo),
  insz     TEXT NOT NULL,
  role     TEXT NOT NULL CHECK (role IN ('legal_representative', 'employee')),
  revision INTEGER NOT NULL,
  at       TEXT NOT NULL,
  source   TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (kbo, insz, role)
);

-- The last KBO Open Data extract applied (import kbo-open-data): updates
-- must follow it in number order.
CREATE TABLE kbo_extract (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  number        INTEGER NOT NULL,
  type          TEXT NOT NULL CHECK (type IN ('full', 'update')),
  snapshot_date TEXT NOT NULL,
  revision      INTEGER NOT NULL
);
