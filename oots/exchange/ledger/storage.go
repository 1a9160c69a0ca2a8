package ledger

import (
	"context"
	"time"
)

// Head is a point of the chain: the sequence number and hash of an entry.
// The zero Head is the start of an empty chain.
type Head struct {
	Seq  int64
	Hash Hash
}

// Storage keeps the chain. Implementations must serialise AppendEntry so
// the chain never forks: read the head, store the entry and move the head
// in one transaction.
type Storage interface {
	// AppendEntry reads the chain head, calls build with it, stores the
	// entry build returns as the new head and returns it; all in one
	// transaction. An error from build aborts the append.
	AppendEntry(ctx context.Context, build func(head Head) (Entry, error)) (Entry, error)
	// Entries returns up to limit entries with Seq > after, in Seq order.
	Entries(ctx context.Context, after int64, limit int) ([]Entry, error)
	// EntriesAbout returns the entries whose Actor or OnBehalfOf is
	// person, in Seq order.
	EntriesAbout(ctx context.Context, person string) ([]Entry, error)
	// Bounds returns the anchor (the last purged entry, zero if none) and
	// the head (the last appended entry, equal to the anchor if the chain
	// holds no entries).
	Bounds(ctx context.Context) (anchor, head Head, err error)
	// PurgeBefore deletes the longest run of oldest entries whose Time is
	// before cutoff and records the last deleted one as the new anchor, in
	// one transaction. It returns how many entries were deleted.
	PurgeBefore(ctx context.Context, cutoff time.Time) (int, error)
}
