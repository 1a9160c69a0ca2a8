package store

import (
	"context"
	"errors"
)

// MaxBroadcast is the largest payload Broadcast takes, in bytes
// (PostgreSQL's limit for a notification is just under 8000).
const MaxBroadcast = 7900

// broadcastChannel is the PostgreSQL notification channel of Broadcast.
const broadcastChannel = "vienreiz_events"

// listenerName is the application_name of Listen's connection, so that
// operators see it in pg_stat_activity.
const listenerName = "vienreiz events"

// ErrNotShared is Listen's and Broadcast's answer on a database only one
// process uses (SQLite): there is nobody to tell.
var ErrNotShared = errors.New("store: the database is not shared by several processes")

// Shared reports whether several processes may use the database at once
// (PostgreSQL): each then hears of the others' changes by Listen.
func (s *Store) Shared() bool { return s.dialect.name == "postgres" }

// Broadcast tells every process listening on the database (Listen), this
// one included, of each payload (at most MaxBroadcast bytes), in order,
// in one round trip.
func (s *Store) Broadcast(ctx context.Context, payloads ...string) error {
	if !s.Shared() {
		return ErrNotShared
	}
	for _, p := range payloads {
		if len(p) > MaxBroadcast {
			return errors.New("store: broadcast payload too large")
		}
	}
	return sendBatch(ctx, s.w, func(ex execer) error {
		for _, p := range payloads {
			if _, err := ex.ExecContext(ctx, "SELECT pg_notify($1, $2)", broadcastChannel, p); err != nil {
				return err
			}
		}
		return nil
	})
}

// Listen hears the payloads every process broadcasts on the database,
// its own included, on a connection of its own: it calls ready once it
// hears them, then hear with each until ctx ends (it returns ctx's error)
// or the connection fails (it returns why; what was broadcast since is
// not heard).
func (s *Store) Listen(ctx context.Context, ready func(), hear func(payload string)) error {
	if !s.Shared() {
		return ErrNotShared
	}
	return listenPostgres(ctx, s.dsn, ready, hear)
}
