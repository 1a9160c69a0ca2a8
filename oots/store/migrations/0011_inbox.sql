-- The citizen's inbox (issue 15, P10): what happened to a person's
-- requests that they should hear of, kept per person with read state so
-- it survives a restart of the app and is the same on every device.
-- evidence and sender_names hold JSON objects of texts by language code.
-- awaits is the request state in which an item asks the person to act
-- ("ready to preview": preview_required); such an item is removed when
-- the request leaves that state. read_at is '' while unread.
CREATE TABLE inbox (
    id                 TEXT PRIMARY KEY,
    owner              TEXT NOT NULL,
    request_id         TEXT NOT NULL,
    service_id         TEXT NOT NULL,
    requirement        TEXT NOT NULL,
    evidence           TEXT NOT NULL,
    event              TEXT NOT NULL,
    state              TEXT NOT NULL,
    detail             TEXT NOT NULL,
    sender_kind        TEXT NOT NULL,
    sender_id          TEXT NOT NULL,
    sender_names       TEXT NOT NULL,
    awaits             TEXT NOT NULL,
    at                 TEXT NOT NULL,
    read_at            TEXT NOT NULL
);

CREATE INDEX inbox_owner ON inbox (owner, at);
CREATE INDEX inbox_request ON inbox (request_id);
