-- Feedback on a finished application (issue 15, P14): one per request,
-- given by its owner, read by the clerks of the institution that runs
-- the service (institution: the catalogue provider's id) and by
-- administrators. author is kept for the record, not shown to clerks.
CREATE TABLE feedback (
    request_id   TEXT PRIMARY KEY,
    service_id   TEXT NOT NULL,
    institution  TEXT NOT NULL,
    author       TEXT NOT NULL,
    rating       INTEGER NOT NULL,
    text         TEXT NOT NULL,
    at           TEXT NOT NULL
);

CREATE INDEX feedback_institution ON feedback (institution, at);
