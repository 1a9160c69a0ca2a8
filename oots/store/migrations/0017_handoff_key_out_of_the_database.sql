-- The handoff links' signing key comes from configuration (the server's
-- -handoff-key-file, the app's secret store), not from the database
-- (issue 14): the key kept here before is removed.
DELETE FROM service_keys WHERE name = 'handoff-hmac';

-- signed_by names the key a handoff's link was signed with (a hash of it),
-- so that after a change of key an old link is told from a forged one.
ALTER TABLE handoffs ADD COLUMN signed_by TEXT NOT NULL DEFAULT '';
