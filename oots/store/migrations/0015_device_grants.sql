-- Devices signed in by pairing (issue 14): a signed-in app shows a pairing
-- QR code, a signed-out phone redeems it and gets a device grant for the
-- same person at the same level of assurance. Tokens are random and kept
-- only as SHA-256 hashes; the access token is short-lived, the refresh
-- token rotates (the one before is remembered, so its reuse ends the grant).
-- A handoff made by the person it is bound to carries their principal
-- (JSON) in grant_principal: redeeming it signs a device in.
CREATE TABLE device_grants (
    id                    TEXT PRIMARY KEY,
    subject               TEXT NOT NULL,
    principal             TEXT NOT NULL,
    device                TEXT NOT NULL,
    access_hash           TEXT NOT NULL UNIQUE,
    access_expires_at     TEXT NOT NULL,
    refresh_hash          TEXT NOT NULL UNIQUE,
    previous_refresh_hash TEXT NOT NULL,
    refresh_expires_at    TEXT NOT NULL,
    created_at            TEXT NOT NULL,
    refreshed_at          TEXT NOT NULL,
    revoked_at            TEXT NOT NULL
);

CREATE INDEX device_grants_subject ON device_grants (subject);
CREATE INDEX device_grants_previous ON device_grants (previous_refresh_hash);

ALTER TABLE handoffs ADD COLUMN grant_principal TEXT NOT NULL DEFAULT '';
