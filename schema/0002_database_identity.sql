-- toegang schema, version 2: the database's identity and its history chain
-- (docs/architecture.md, "Start-up").
--
-- database_id: 16 random bytes, made once, here (randomblob draws from
-- SQLite's generator, which seeds itself from the operating system's
-- /dev/urandom). A copy of the file carries the same id; a database made
-- or migrated separately gets another. The id is the key of the chain and
-- of index snapshot stamps; it never leaves the file.
-- chain: a keyed hash over every committed revision, advanced in the same
-- transaction as the revision (each mutation and import). It starts at a
-- random value, so that a history that begins here is told apart from any
-- other.
ALTER TABLE revision ADD COLUMN database_id BLOB NOT NULL DEFAULT x'';
ALTER TABLE revision ADD COLUMN chain INTEGER NOT NULL DEFAULT 0;
UPDATE revision SET database_id = randomblob(16), chain = random()
  WHERE id = 1;
