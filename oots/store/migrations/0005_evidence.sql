-- Delivered evidence documents, kept in the database (not next to it) so
-- every exchange-service process sharing the database can hand them out
-- and a backup of the database holds them too. BYTEA is PostgreSQL's
-- binary type; SQLite stores the bytes as a BLOB under any type name.
CREATE TABLE evidence (
    request_id   TEXT NOT NULL REFERENCES requests (id),
    idx          INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    size         BIGINT NOT NULL,
    data         BYTEA NOT NULL,
    PRIMARY KEY (request_id, idx)
);
