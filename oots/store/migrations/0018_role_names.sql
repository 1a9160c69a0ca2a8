-- The name a person with a role signed in with (filled at their calls):
-- the administrator's list of roles and the desk's ledger trail name
-- people, not only their identifiers.
ALTER TABLE role_assignments ADD COLUMN name TEXT NOT NULL DEFAULT '';
