-- Databases made before the inbox (0011) start with an empty one although
-- their requests wait for the person or had news. This marker asks the
-- exchange service, once, to give those requests the items their
-- timelines would have made (store.BackfillInbox removes it in the same
-- transaction). On a new database the backfill finds nothing to do.
CREATE TABLE inbox_backfill (pending INTEGER NOT NULL);
INSERT INTO inbox_backfill (pending) VALUES (1);
