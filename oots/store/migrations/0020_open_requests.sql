-- At most one request of a person for the same evidence is under way at a
-- time: open_key names the evidence (the exchange service derives it from
-- the owner, mandate, service, requirement and country) while the request
-- has not ended, and is NULL once it has (and for requests stored before
-- this migration; BackfillOpenKeys gives the open ones theirs).
ALTER TABLE requests ADD COLUMN open_key TEXT;
CREATE UNIQUE INDEX requests_open_key ON requests (open_key);
CREATE TABLE open_key_backfill (pending INTEGER NOT NULL);
INSERT INTO open_key_backfill (pending) VALUES (1);
