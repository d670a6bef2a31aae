-- toegang schema, version 2, PostgreSQL dialect of
-- schema/0002_database_identity.sql (SQLite's randomblob and random() have
-- no PostgreSQL spelling). database_id: 16 bytes from md5 over two
-- gen_random_uuid() values (244 bits from PostgreSQL's strong generator);
-- chain: 64 bits the same way.
ALTER TABLE revision ADD COLUMN database_id BYTEA NOT NULL DEFAULT '\x';
ALTER TABLE revision ADD COLUMN chain BIGINT NOT NULL DEFAULT 0;
UPDATE revision SET
  database_id = decode(md5(gen_random_uuid()::text || gen_random_uuid()::text),
                       'hex'),
  chain = ('x' || substr(md5(gen_random_uuid()::text), 1, 16))::bit(64)::bigint
  WHERE id = 1;
