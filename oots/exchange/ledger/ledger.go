package ledger

import (
	"context"
	"errors"
	"fmt"
	"time"
	"unicode"
	"unicode/utf8"
)

// RetentionMonths is how long entries are kept before Purge removes them.
const RetentionMonths = 12

// MaxField is the longest accepted field of a Record, in bytes.
const MaxField = 1024

// ErrTampered is matched (errors.Is) by every ChainError.
var ErrTampered = errors.New("ledger chain broken")

// ErrInvalidRecord is matched by errors about a Record's fields.
var ErrInvalidRecord = errors.New("invalid ledger record")

// ChainError names the first entry at which Verify found the chain broken.
type ChainError struct {
	// Seq is the entry that was changed, is missing or is out of place.
	Seq int64
	// Reason says what was wrong.
	Reason string
}

// Error names the entry and the reason.
func (e *ChainError) Error() string {
	return fmt.Sprintf("ledger: entry %d: %s", e.Seq, e.Reason)
}

// Is makes errors.Is(err, ErrTampered) true.
func (e *ChainError) Is(target error) bool { return target == ErrTampered }

// Ledger appends, verifies, purges and exports the chain kept by a
// Storage. It is safe for concurrent use if the Storage is.
type Ledger struct {
	store Storage
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// New returns a ledger over s.
func New(s Storage) *Ledger { return &Ledger{store: s} }

func (l *Ledger) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

// Append validates r and adds it to the chain as the new head.
func (l *Ledger) Append(ctx context.Context, r Record) (Entry, error) {
	if err := r.Validate(); err != nil {
		return Entry{}, err
	}
	at := l.now()
	e, err := l.store.AppendEntry(ctx, func(head Head) (Entry, error) { return Next(head, r, at), nil })
	if err != nil {
		return Entry{}, fmt.Errorf("ledger: append %s: %w", r.Action, err)
	}
	return e, nil
}

// Next is the entry that adds r, at time at, to a chain whose head is
// head. It does not validate r; storages that append records as part of
// their own transactions call it with the head they locked.
func Next(head Head, r Record, at time.Time) Entry {
	e := Entry{Record: r, Seq: head.Seq + 1, Time: at.UTC().Truncate(time.Microsecond), Prev: head.Hash}
	e.Hash = e.ComputeHash()
	return e
}

// Validate checks that the required fields (Actor, OnBehalfOf, Action) are
// set, that Action is a lower-case token, and that no field is longer than
// MaxField, is invalid UTF-8 or holds control characters.
func (r Record) Validate() error {
	fields := []struct {
		name, v  string
		required bool
	}{
		{"Actor", r.Actor, true}, {"OnBehalfOf", r.OnBehalfOf, true}, {"Action", r.Action, true},
		{"What", r.What, false}, {"LegalBasis", r.LegalBasis, false}, {"RequestID", r.RequestID, false},
	}
	for _, f := range fields {
		switch {
		case f.required && f.v == "":
			return fmt.Errorf("ledger: %s is empty: %w", f.name, ErrInvalidRecord)
		case len(f.v) > MaxField:
			return fmt.Errorf("ledger: %s is longer than %d bytes: %w", f.name, MaxField, ErrInvalidRecord)
		case !utf8.ValidString(f.v):
			return fmt.Errorf("ledger: %s is not valid UTF-8: %w", f.name, ErrInvalidRecord)
		}
		for _, c := range f.v {
			if unicode.IsControl(c) || c == '\u2028' || c == '\u2029' {
				return fmt.Errorf("ledger: %s holds control character %U: %w", f.name, c, ErrInvalidRecord)
			}
		}
	}
	if len(r.Action) > 64 {
		return fmt.Errorf("ledger: Action is longer than 64 bytes: %w", ErrInvalidRecord)
	}
	for _, c := range r.Action {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' && c != '.' {
			return fmt.Errorf("ledger: Action %q may hold only a-z, 0-9, _ and .: %w", truncate(r.Action), ErrInvalidRecord)
		}
	}
	return nil
}

// verifyBatch is how many entries Verify reads at a time.
const verifyBatch = 1000

// Verify walks the chain from the anchor to the head and returns how many
// entries it checked. The first broken place is returned as a *ChainError
// (matching ErrTampered): an entry whose content no longer matches its
// hash, an entry that does not link to the one before (that one was
// rewritten together with its hash), a missing or inserted entry, or a
// head that does not match the last entry.
//
// A chain rewritten in full from some entry on, head included, verifies;
// catching that needs the head hash kept elsewhere (see Bounds).
func (l *Ledger) Verify(ctx context.Context) (int64, error) {
	anchor, head, err := l.store.Bounds(ctx)
	if err != nil {
		return 0, fmt.Errorf("ledger: verify: %w", err)
	}
	prev, want := anchor.Hash, anchor.Seq+1
	var checked int64
	for {
		batch, err := l.store.Entries(ctx, want-1, verifyBatch)
		if err != nil {
			return checked, fmt.Errorf("ledger: verify after entry %d: %w", want-1, err)
		}
		for i := range batch {
			e := &batch[i]
			switch {
			case e.Seq != want:
				return checked, &ChainError{Seq: want, Reason: fmt.Sprintf("missing (the next stored entry is %d)", e.Seq)}
			case e.ComputeHash() != e.Hash:
				return checked, &ChainError{Seq: e.Seq, Reason: "content does not match its hash (changed)"}
			case e.Prev != prev && e.Seq == anchor.Seq+1:
				return checked, &ChainError{Seq: e.Seq, Reason: "does not link to the purge anchor"}
			case e.Prev != prev:
				return checked, &ChainError{Seq: e.Seq - 1, Reason: fmt.Sprintf("rewritten with a new hash (entry %d no longer links to it)", e.Seq)}
			}
			prev = e.Hash
			want++
			checked++
		}
		if len(batch) < verifyBatch {
			break
		}
	}
	switch {
	case want-1 < head.Seq:
		return checked, &ChainError{Seq: want, Reason: fmt.Sprintf("missing (the head is entry %d)", head.Seq)}
	case want-1 > head.Seq:
		return checked, &ChainError{Seq: head.Seq + 1, Reason: "stored beyond the head (inserted)"}
	case prev != head.Hash:
		return checked, &ChainError{Seq: head.Seq, Reason: "the head hash does not match this entry"}
	}
	return checked, nil
}

// Purge deletes the entries older than RetentionMonths before now,
// keeping the hash of the last deleted entry as the anchor from which the
// rest of the chain still verifies. It returns how many were deleted.
func (l *Ledger) Purge(ctx context.Context, now time.Time) (int, error) {
	cutoff := now.UTC().AddDate(0, -RetentionMonths, 0)
	n, err := l.store.PurgeBefore(ctx, cutoff)
	if err != nil {
		return 0, fmt.Errorf("ledger: purge before %s: %w", cutoff.Format(time.RFC3339), err)
	}
	return n, nil
}
