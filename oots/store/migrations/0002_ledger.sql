-- The ledger (oots/exchange/ledger): an append-only, hash-chained record of
-- exchanges, consents and accesses to evidence. Times are Unix
-- microseconds, hashes lower-case hex, so both databases store them alike.
CREATE TABLE ledger_entries (
    seq          BIGINT PRIMARY KEY,
    at_us        BIGINT NOT NULL,
    actor        TEXT NOT NULL,
    on_behalf_of TEXT NOT NULL,
    action       TEXT NOT NULL,
    what         TEXT NOT NULL,
    legal_basis  TEXT NOT NULL,
    request_id   TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);

CREATE INDEX ledger_entries_actor ON ledger_entries (actor);
CREATE INDEX ledger_entries_on_behalf_of ON ledger_entries (on_behalf_of);
CREATE INDEX ledger_entries_at ON ledger_entries (at_us);

-- The single-row chain head (last appended entry) and purge anchor (last
-- purged entry). Appends lock and move the head in their transaction, so
-- the chain never forks.
CREATE TABLE ledger_chain (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    head_seq    BIGINT NOT NULL,
    head_hash   TEXT NOT NULL,
    anchor_seq  BIGINT NOT NULL,
    anchor_hash TEXT NOT NULL
);

INSERT INTO ledger_chain (id, head_seq, head_hash, anchor_seq, anchor_hash) VALUES (1, 0,
    '0000000000000000000000000000000000000000000000000000000000000000', 0,
    '0000000000000000000000000000000000000000000000000000000000000000');
