package store

import (
	"context"
	"fmt"
	"slices"
)

// MarkSeen records that subject (a clerk) has seen request id up to its
// timeline entry seq; an earlier seq never takes a later one back.
func (s *Store) MarkSeen(ctx context.Context, subject, id string, seq int) error {
	if _, err := s.w.ExecContext(ctx, s.q(`INSERT INTO desk_reads (subject, request_id, seen_seq) VALUES (?, ?, ?)
		ON CONFLICT (subject, request_id) DO UPDATE SET seen_seq = excluded.seen_seq WHERE desk_reads.seen_seq < excluded.seen_seq`), subject, id, seq); err != nil {
		return fmt.Errorf("store: marking request %s seen: %w", id, err)
	}
	return nil
}

// Unseen reports, of requests ids, those whose timeline has moved past
// what subject last saw (or that subject never saw). The ids are asked
// for unseenPart at a time: a statement takes at most 32,766 parameters
// in SQLite and 65,535 in PostgreSQL, and a busy desk lists more.
func (s *Store) Unseen(ctx context.Context, subject string, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	for part := range slices.Chunk(ids, unseenPart) {
		if err := s.unseenOf(ctx, subject, part, out); err != nil {
			return nil, fmt.Errorf("store: unseen requests: %w", err)
		}
	}
	return out, nil
}

// unseenPart is how many ids one statement of Unseen asks about.
const unseenPart = 1000

// unseenOf adds to out those of ids that subject has not seen.
func (s *Store) unseenOf(ctx context.Context, subject string, ids []string, out map[string]bool) error {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT t.request_id FROM request_timeline t
		LEFT JOIN desk_reads r ON r.request_id = t.request_id AND r.subject = ?
		WHERE t.request_id IN (`+placeholders(len(ids))+`)
		GROUP BY t.request_id, r.seen_seq HAVING MAX(t.seq) > COALESCE(r.seen_seq, 0)`), append([]any{subject}, anys(ids)...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return err
		}
		out[id] = true
	}
	return rows.Err()
}
