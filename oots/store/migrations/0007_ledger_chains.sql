-- The ledger keeps one chain per person (oots/exchange/ledger), so
-- appends for different people never wait on one head row. Entries are
-- keyed by (chain, seq); the single chain of earlier versions becomes the
-- chain named '' with its entries and hashes unchanged. Each chain's head
-- row also keeps its latest signed checkpoint (the anchor file outside the
-- database holds them all); keys and signatures are base64.
CREATE TABLE ledger_chained (
    chain        TEXT NOT NULL,
    seq          BIGINT NOT NULL,
    at_us        BIGINT NOT NULL,
    actor        TEXT NOT NULL,
    on_behalf_of TEXT NOT NULL,
    action       TEXT NOT NULL,
    what         TEXT NOT NULL,
    legal_basis  TEXT NOT NULL,
    request_id   TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL,
    PRIMARY KEY (chain, seq)
);

INSERT INTO ledger_chained (chain, seq, at_us, actor, on_behalf_of, action, what, legal_basis, request_id, prev_hash, hash)
    SELECT '', seq, at_us, actor, on_behalf_of, action, what, legal_basis, request_id, prev_hash, hash FROM ledger_entries;
DROP TABLE ledger_entries;
ALTER TABLE ledger_chained RENAME TO ledger_entries;
CREATE INDEX ledger_entries_actor ON ledger_entries (actor);
CREATE INDEX ledger_entries_on_behalf_of ON ledger_entries (on_behalf_of);
CREATE INDEX ledger_entries_at ON ledger_entries (at_us);

CREATE TABLE ledger_heads (
    chain       TEXT PRIMARY KEY,
    head_seq    BIGINT NOT NULL,
    head_hash   TEXT NOT NULL,
    anchor_seq  BIGINT NOT NULL,
    anchor_hash TEXT NOT NULL,
    cp_seq      BIGINT NOT NULL DEFAULT 0,
    cp_hash     TEXT NOT NULL DEFAULT '',
    cp_at_us    BIGINT NOT NULL DEFAULT 0,
    cp_key      TEXT NOT NULL DEFAULT '',
    cp_sig      TEXT NOT NULL DEFAULT ''
);

INSERT INTO ledger_heads (chain, head_seq, head_hash, anchor_seq, anchor_hash)
    SELECT '', head_seq, head_hash, anchor_seq, anchor_hash FROM ledger_chain WHERE head_seq > 0;
DROP TABLE ledger_chain;
CREATE INDEX ledger_heads_unanchored ON ledger_heads (chain) WHERE head_seq > cp_seq;
