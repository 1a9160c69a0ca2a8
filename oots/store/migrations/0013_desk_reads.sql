-- What each clerk has read of the applications at their desk (issue 14):
-- the timeline position (seq) they last saw. An application whose
-- timeline has moved past it is unread for that clerk.
CREATE TABLE desk_reads (
    subject    TEXT NOT NULL,
    request_id TEXT NOT NULL REFERENCES requests (id),
    seen_seq   INTEGER NOT NULL,
    PRIMARY KEY (subject, request_id)
);
