-- One-time handoff links from the portal (or another device) into the app
-- (issue 14). A handoff is redeemed once: used_at is set in the same
-- statement that checks it is still empty. subject is empty when nobody
-- was signed in on the portal. service_keys holds the service's own random
-- keys shared by every process on this database (the handoff signing key).
CREATE TABLE handoffs (
    id          TEXT PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    service_id  TEXT NOT NULL,
    requirement TEXT NOT NULL,
    country     TEXT NOT NULL,
    subject     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT NOT NULL,
    used_by     TEXT NOT NULL,
    request_id  TEXT NOT NULL
);

CREATE INDEX handoffs_expires ON handoffs (expires_at);

CREATE TABLE service_keys (
    name   TEXT PRIMARY KEY,
    secret BYTEA NOT NULL
);
