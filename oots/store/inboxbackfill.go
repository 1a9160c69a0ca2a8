package store

import (
	"context"
	"database/sql"
	"fmt"
)

// BackfillInbox gives the requests stored before the inbox existed their
// inbox items, once per database (migration 0014 marks it pending):
// items returns, for a request without any inbox item and its timeline,
// the items to store. The marker is removed in the same transaction, so
// with several processes one does the work and the others find it done.
// It returns how many items it stored.
func (s *Store) BackfillInbox(ctx context.Context, items func(RequestRecord, []TimelineEntry) []InboxItem) (int, error) {
	stored := 0
	err := s.inTx(ctx, "inbox backfill", func(tx *sql.Tx) error {
		if pending, err := claimBackfill(ctx, tx, "inbox_backfill"); !pending || err != nil {
			return err // done before, or failed
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+requestColumns+` FROM requests WHERE id NOT IN (SELECT request_id FROM inbox) ORDER BY created_at, id`)
		if err != nil {
			return fmt.Errorf("store: inbox backfill: %w", err)
		}
		var recs []RequestRecord
		for rows.Next() {
			r, err := scanRequest(rows)
			if err != nil {
				rows.Close()
				return err
			}
			recs = append(recs, *r)
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("store: inbox backfill: %w", err)
		}
		for _, r := range recs {
			tl, err := s.timeline(ctx, tx, r.ID)
			if err != nil {
				return err
			}
			add := items(r, tl)
			if err := s.addInbox(ctx, tx, r.ID, r.State, add); err != nil {
				return err
			}
			stored += len(add)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return stored, nil
}

// claimBackfill removes the marker a migration left in table for a
// once-per-database backfill, in tx, and reports whether it was there:
// with several processes one does the work and the others find it done.
func claimBackfill(ctx context.Context, tx *sql.Tx, table string) (bool, error) {
	res, err := tx.ExecContext(ctx, `DELETE FROM `+table)
	if err != nil {
		return false, fmt.Errorf("store: %s: %w", table, err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}
