package store

import (
	"context"
	"fmt"
	"time"
)

// Feedback is a person's rating (1–5) and words on one finished request
// of theirs, kept for the institution that runs its service.
type Feedback struct {
	RequestID   string
	ServiceID   string
	Institution string
	Author      string
	Rating      int
	Text        string
	At          time.Time
}

// feedbackLimit bounds the feedback one list gives, newest first.
const feedbackLimit = 500

func (s *Store) addFeedback(ctx context.Context, tx execer, f *Feedback) error {
	if f == nil {
		return nil
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO feedback (request_id, service_id, institution, author, rating, text, at) VALUES (?, ?, ?, ?, ?, ?, ?)`),
		f.RequestID, f.ServiceID, f.Institution, f.Author, f.Rating, f.Text, formatTime(f.At)); err != nil {
		return fmt.Errorf("store: feedback on %s: %w", f.RequestID, err)
	}
	return nil
}

// FeedbackOf returns the feedback kept for institution, newest first (at
// most 500); "" gives everyone's.
func (s *Store) FeedbackOf(ctx context.Context, institution string) ([]Feedback, error) {
	query, args := `SELECT request_id, service_id, institution, author, rating, text, at FROM feedback`, []any{}
	if institution != "" {
		query += ` WHERE institution = ?`
		args = append(args, institution)
	}
	args = append(args, feedbackLimit)
	rows, err := s.db.QueryContext(ctx, s.q(query+` ORDER BY at DESC, request_id LIMIT ?`), args...)
	if err != nil {
		return nil, fmt.Errorf("store: listing feedback: %w", err)
	}
	defer rows.Close()
	out := []Feedback{}
	for rows.Next() {
		var (
			f  Feedback
			at string
		)
		if err := rows.Scan(&f.RequestID, &f.ServiceID, &f.Institution, &f.Author, &f.Rating, &f.Text, &at); err != nil {
			return nil, fmt.Errorf("store: listing feedback: %w", err)
		}
		if f.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("store: feedback on %s: %w", f.RequestID, err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}
