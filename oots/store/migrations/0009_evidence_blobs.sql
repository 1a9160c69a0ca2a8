-- Evidence documents move out of their rows: blob names where the bytes
-- are ('file:SHA256' in the content-addressed folder beside an SQLite
-- database, 'lo:OID' for a PostgreSQL large object; '' for rows written
-- before, whose bytes are in data). sealed says they are encrypted.
ALTER TABLE evidence ADD COLUMN blob TEXT NOT NULL DEFAULT '';
ALTER TABLE evidence ADD COLUMN sealed BOOLEAN NOT NULL DEFAULT FALSE;
