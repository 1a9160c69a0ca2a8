package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// BackfillOpenKeys gives the requests stored before open keys existed
// theirs, once per database (migration 0020 marks it pending, and the
// marker goes in the same transaction, as with BackfillInbox): key
// returns a request's OpenKey, "" for one that has ended. Where several
// open requests have the same key (made before it was refused), the
// newest holds it. It returns how many requests got a key.
func (s *Store) BackfillOpenKeys(ctx context.Context, key func(RequestRecord) string) (int, error) {
	given := 0
	err := s.inTx(ctx, "open key backfill", func(tx *sql.Tx) error {
		if pending, err := claimBackfill(ctx, tx, "open_key_backfill"); !pending || err != nil {
			return err // done before, or failed
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+requestColumns+` FROM requests WHERE open_key IS NULL ORDER BY created_at DESC, id`)
		if err != nil {
			return fmt.Errorf("store: open key backfill: %w", err)
		}
		keys := map[string]string{} // id by key, the newest first
		for rows.Next() {
			r, err := scanRequest(rows)
			if err != nil {
				rows.Close()
				return err
			}
			if k := key(*r); k != "" && keys[k] == "" {
				keys[k] = r.ID
			}
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return fmt.Errorf("store: open key backfill: %w", err)
		}
		for k, id := range keys {
			if _, err := tx.ExecContext(ctx, s.q(`UPDATE requests SET open_key = ? WHERE id = ?`), k, id); err != nil {
				return fmt.Errorf("store: open key of %s: %w", id, err)
			}
			given++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return given, nil
}
