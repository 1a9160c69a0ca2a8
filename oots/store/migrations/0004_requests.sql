-- Evidence requests of the exchange service and their timelines (P11, P12).
-- doc holds the exchange's request document as JSON; the columns are what
-- lists filter and order on. version guards against lost updates.
CREATE TABLE requests (
    id         TEXT PRIMARY KEY,
    owner      TEXT NOT NULL,
    service_id TEXT NOT NULL,
    state      TEXT NOT NULL,
    version    INTEGER NOT NULL,
    doc        TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX requests_owner ON requests (owner, created_at);

CREATE TABLE request_timeline (
    request_id  TEXT NOT NULL REFERENCES requests (id),
    seq         INTEGER NOT NULL,
    at          TEXT NOT NULL,
    event       TEXT NOT NULL,
    state       TEXT NOT NULL,
    detail      TEXT NOT NULL,
    expected_by TEXT NOT NULL,
    PRIMARY KEY (request_id, seq)
);
