package as4

import (
	"context"
	"errors"
	"time"
)

// OutboxEntry is a message accepted for sending whose outcome is not yet
// known. Data is the Sender's own record of the submission (JSON); the
// payload bytes live in files under the Sender's outbox directory.
type OutboxEntry struct {
	MessageID string
	Data      []byte
	Created   time.Time
}

// Outbox is the persistent queue of accepted messages. An entry is written
// before Send or Submit returns and removed from Pending when finished, so
// a crash in between loses nothing: on restart Sender.Resume sends what is
// pending. Implementations must be safe for concurrent use.
type Outbox interface {
	// Add records a new entry; it fails with ErrExists when the MessageID
	// is already in the outbox (pending or finished).
	Add(ctx context.Context, e OutboxEntry) error
	// Pending returns up to limit unfinished entries, oldest first.
	Pending(ctx context.Context, limit int) ([]OutboxEntry, error)
	// Finish marks an entry done: status is "sent" or "failed", detail a
	// short reason (the receipt id or the error).
	Finish(ctx context.Context, messageID, status, detail string) error
}

// FinishQueuer is an Outbox that can record an outcome without its caller
// waiting for the commit. QueueFinish queues what Finish would write and
// calls done with Finish's error once it is committed (or failed); done
// must not block. Until then the entry reads as before it (a crash loses
// the outcome, as a power failure may lose a lazy Finish); the Outbox's
// own reads (Pending) see queued writes. The Sender records a receipted
// message's "sent" so, and keeps the message from Resume until done.
type FinishQueuer interface {
	QueueFinish(ctx context.Context, messageID, status, detail string, done func(error))
}

// ClaimState is the answer of DuplicateStore.Claim.
type ClaimState int

const (
	// Fresh: the MessageID was not seen (or an earlier claim expired); the
	// caller now owns it and must Complete or Release it.
	Fresh ClaimState = iota
	// Done: the message was processed; what Complete stored is returned.
	Done
	// InProgress: another listener holds a live claim on the message.
	InProgress
)

// DuplicateStore remembers received MessageIds for duplicate elimination.
// It must survive restarts and may be shared by several listeners (data
// centres): Claim is atomic across all of them.
type DuplicateStore interface {
	// Claim takes the MessageID for processing unless it is done or held
	// by a claim younger than lease.
	Claim(ctx context.Context, messageID string, lease time.Duration) (ClaimState, []byte, error)
	// Complete marks a claimed message done and stores record: the
	// Receiver's short record of the receipt it sent (under 100 bytes),
	// from which later duplicates get the same receipt again.
	Complete(ctx context.Context, messageID string, receipt []byte) error
	// Release drops a claim whose processing failed, so a retry is
	// processed again.
	Release(ctx context.Context, messageID string) error
}

// ErrExists is returned by Outbox.Add for a MessageID already present.
var ErrExists = errors.New("message id already in the outbox")
