-- Mandates (issue 13): who may act for whom. represented is a person or a
-- company; services is a space-separated list of catalogue service ids,
-- empty for all services. A revoked mandate keeps its row (revoked_at set)
-- so the ledger and the requests made under it stay explained.
CREATE TABLE mandates (
    id                  TEXT PRIMARY KEY,
    representative      TEXT NOT NULL,
    representative_name TEXT NOT NULL,
    represented         TEXT NOT NULL,
    represented_name    TEXT NOT NULL,
    services            TEXT NOT NULL,
    valid_from          TEXT NOT NULL,
    valid_until         TEXT NOT NULL,
    created_by          TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    revoked_at          TEXT NOT NULL,
    revoked_by          TEXT NOT NULL
);

CREATE INDEX mandates_representative ON mandates (representative);
CREATE INDEX mandates_represented ON mandates (represented);
