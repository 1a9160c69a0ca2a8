-- The service catalogue (P1, P3): categories and services as JSON documents
-- with the columns searches filter on.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE categories (
    id       TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    doc      TEXT NOT NULL
);

CREATE TABLE services (
    id          TEXT PRIMARY KEY,
    country     TEXT NOT NULL,
    category    TEXT NOT NULL,
    position    INTEGER NOT NULL,
    search_text TEXT NOT NULL,
    doc         TEXT NOT NULL
);

CREATE INDEX services_country ON services (country);
CREATE INDEX services_category ON services (category);
