-- Roles assigned by an administrator (issue 13): a person is a clerk of an
-- institution or an administrator. People without a row are citizens (or
-- whatever their identity provider's token says).
CREATE TABLE role_assignments (
    subject     TEXT PRIMARY KEY,
    role        TEXT NOT NULL,
    institution TEXT NOT NULL,
    assigned_by TEXT NOT NULL,
    assigned_at TEXT NOT NULL
);
