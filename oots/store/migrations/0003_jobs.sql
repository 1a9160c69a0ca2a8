-- The durable job queue: time-outs and retries of the exchange service.
-- A job is queued until run_at_us, then claimed by one worker under a lease
-- (state running, lease_owner, lease_until_us). A claim also moves run_at_us
-- to the lease's end, so a lease that runs out (the worker crashed) makes
-- the job due again and one index serves every claim.
CREATE TABLE jobs (
    id             TEXT PRIMARY KEY,
    kind           TEXT NOT NULL,
    payload        TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('queued', 'running', 'dead')),
    run_at_us      BIGINT NOT NULL,
    attempts       INTEGER NOT NULL,
    max_attempts   INTEGER NOT NULL,
    lease_owner    TEXT NOT NULL,
    lease_until_us BIGINT NOT NULL,
    last_error     TEXT NOT NULL,
    created_us     BIGINT NOT NULL
);

CREATE INDEX jobs_due ON jobs (run_at_us, id) WHERE state <> 'dead';
