package ledger

import (
	"context"
	"time"
)

// Head is a point of a chain: the sequence number and hash of an entry.
// The zero Head is the start of an empty chain.
type Head struct {
	Seq  int64
	Hash Hash
}

// Bounds are the ends of one chain: its anchor (the last purged entry,
// zero if none) and its head (the last appended entry, equal to the
// anchor if the chain holds no entries).
type Bounds struct {
	Chain  string
	Anchor Head
	Head   Head
}

// Storage keeps the chains, one per person (ChainOf). Implementations must
// serialise AppendEntry per chain so no chain forks: read the chain's
// head, store the entry and move the head in one transaction. Appends to
// different chains need not wait for each other.
type Storage interface {
	// AppendEntry reads the head of chain, calls build with it, stores
	// the entry build returns as the new head and returns it; all in one
	// transaction. An error from build aborts the append.
	AppendEntry(ctx context.Context, chain string, build func(head Head) (Entry, error)) (Entry, error)
	// Chains returns the bounds of every chain, ordered by chain.
	Chains(ctx context.Context) ([]Bounds, error)
	// Entries returns up to limit entries of chain with Seq > after, in
	// Seq order.
	Entries(ctx context.Context, chain string, after int64, limit int) ([]Entry, error)
	// EntriesAbout returns the entries whose Actor or OnBehalfOf is
	// person, oldest first.
	EntriesAbout(ctx context.Context, person string) ([]Entry, error)
	// PurgeBefore deletes, in every chain, the longest run of oldest
	// entries whose Time is before cutoff and records the last deleted
	// one as the chain's anchor. It returns how many entries were deleted.
	PurgeBefore(ctx context.Context, cutoff time.Time) (int, error)
	// Unanchored returns up to limit chains whose head moved past their
	// last stored checkpoint.
	Unanchored(ctx context.Context, limit int) ([]Bounds, error)
	// SaveCheckpoint keeps cp as the latest checkpoint of its chain (for
	// exports), unless a later one is kept already.
	SaveCheckpoint(ctx context.Context, cp Checkpoint) error
	// LatestCheckpoint returns the checkpoint kept for chain, or nil.
	LatestCheckpoint(ctx context.Context, chain string) (*Checkpoint, error)
}
