package ledger

import (
	"context"
	"crypto/ed25519"
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

// ChainError names the first entry at which Verify found a chain broken.
type ChainError struct {
	// Chain is the chain (the person) concerned.
	Chain string
	// Seq is the entry that was changed, is missing or is out of place.
	Seq int64
	// Reason says what was wrong.
	Reason string
}

// Error names the chain, the entry and the reason.
func (e *ChainError) Error() string {
	return fmt.Sprintf("ledger: chain %q entry %d: %s", e.Chain, e.Seq, e.Reason)
}

// Is makes errors.Is(err, ErrTampered) true.
func (e *ChainError) Is(target error) bool { return target == ErrTampered }

// Ledger appends, verifies, purges, checkpoints and exports the chains
// kept by a Storage. It is safe for concurrent use if the Storage is.
type Ledger struct {
	store Storage
	// Anchor, when set, is where Checkpoint writes and what Verify
	// checks the chains against.
	Anchor *Anchor
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

// Append validates r and adds it to its chain (ChainOf) as the new head.
func (l *Ledger) Append(ctx context.Context, r Record) (Entry, error) {
	if err := r.Validate(); err != nil {
		return Entry{}, err
	}
	at := l.now()
	e, err := l.store.AppendEntry(ctx, ChainOf(r), func(head Head) (Entry, error) { return Next(head, r, at), nil })
	if err != nil {
		return Entry{}, fmt.Errorf("ledger: append %s: %w", r.Action, err)
	}
	return e, nil
}

// Next is the entry that adds r, at time at, to its chain whose head is
// head. It does not validate r; storages that append records as part of
// their own transactions call it with the head they locked.
func Next(head Head, r Record, at time.Time) Entry {
	e := Entry{Record: r, Chain: ChainOf(r), Seq: head.Seq + 1, Time: at.UTC().Truncate(time.Microsecond), Prev: head.Hash}
	e.Hash = e.ComputeHash()
	return e
}

// CheckField is the rule for every text the ledger stores (and the API
// accepts for it, such as a status message): at most MaxField bytes of
// valid UTF-8 without control characters; line breaks (\n) are allowed
// when multiline (the What of a message).
func CheckField(name, v string, multiline bool) error {
	switch {
	case len(v) > MaxField:
		return fmt.Errorf("ledger: %s is longer than %d bytes: %w", name, MaxField, ErrInvalidRecord)
	case !utf8.ValidString(v):
		return fmt.Errorf("ledger: %s is not valid UTF-8: %w", name, ErrInvalidRecord)
	}
	for _, c := range v {
		if c == '\n' && multiline {
			continue
		}
		if unicode.IsControl(c) || c == '\u2028' || c == '\u2029' {
			return fmt.Errorf("ledger: %s holds control character %U: %w", name, c, ErrInvalidRecord)
		}
	}
	return nil
}

// Validate checks that the required fields (Actor, OnBehalfOf, Action) are
// set, that Action is a lower-case token, and that every field passes
// CheckField (only What may hold line breaks).
func (r Record) Validate() error {
	fields := []struct {
		name, v  string
		required bool
	}{
		{"Actor", r.Actor, true}, {"OnBehalfOf", r.OnBehalfOf, true}, {"Action", r.Action, true},
		{"What", r.What, false}, {"LegalBasis", r.LegalBasis, false}, {"RequestID", r.RequestID, false},
	}
	for _, f := range fields {
		if f.required && f.v == "" {
			return fmt.Errorf("ledger: %s is empty: %w", f.name, ErrInvalidRecord)
		}
		if err := CheckField(f.name, f.v, f.name == "What"); err != nil {
			return err
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

// Verify walks every chain from its anchor to its head and returns how
// many entries it checked. The first broken place is returned as a
// *ChainError (matching ErrTampered): an entry whose content no longer
// matches its hash, an entry that does not link to the one before (that
// one was rewritten together with its hash), a missing or inserted entry,
// or a head that does not match the last entry.
//
// With an Anchor it also checks each chain against its latest checkpoint
// in the anchor file: a chain rewritten from some entry on (the entry at
// the checkpoint no longer has the signed hash), cut back behind the
// checkpoint, or gone altogether is reported too.
func (l *Ledger) Verify(ctx context.Context) (int64, error) {
	chains, err := l.store.Chains(ctx)
	if err != nil {
		return 0, fmt.Errorf("ledger: verify: %w", err)
	}
	var anchored map[string]Checkpoint
	if l.Anchor != nil {
		if anchored, err = l.Anchor.Latest(); err != nil {
			return 0, err
		}
	}
	var checked int64
	for _, b := range chains {
		cp, hasCP := anchored[b.Chain]
		delete(anchored, b.Chain)
		n, err := l.verifyChain(ctx, b, cp, hasCP)
		checked += n
		if err != nil {
			return checked, err
		}
	}
	for chain, cp := range anchored {
		return checked, &ChainError{Chain: chain, Seq: cp.Seq, Reason: "the chain is gone from the database, but checkpointed at " + cp.Time.Format(time.RFC3339) + " (wiped)"}
	}
	if l.Anchor != nil {
		if err := l.checkSavedCheckpoints(ctx, chains); err != nil {
			return checked, err
		}
	}
	return checked, nil
}

// verifyChain walks one chain; cp is its latest anchored checkpoint when
// hasCP.
func (l *Ledger) verifyChain(ctx context.Context, b Bounds, cp Checkpoint, hasCP bool) (int64, error) {
	fail := func(seq int64, reason string) error { return &ChainError{Chain: b.Chain, Seq: seq, Reason: reason} }
	if hasCP {
		switch {
		case cp.Seq > b.Head.Seq:
			return 0, fail(cp.Seq, fmt.Sprintf("missing: the chain ends at %d, but was checkpointed at %d on %s (cut back)", b.Head.Seq, cp.Seq, cp.Time.Format(time.RFC3339)))
		case cp.Seq == b.Anchor.Seq && cp.Hash != b.Anchor.Hash:
			return 0, fail(cp.Seq, "the purge anchor differs from the checkpoint (rewritten)")
		}
	}
	prev, want := b.Anchor.Hash, b.Anchor.Seq+1
	var checked int64
	for {
		batch, err := l.store.Entries(ctx, b.Chain, want-1, verifyBatch)
		if err != nil {
			return checked, fmt.Errorf("ledger: verify chain %q after entry %d: %w", b.Chain, want-1, err)
		}
		for i := range batch {
			e := &batch[i]
			switch {
			case e.Seq != want:
				return checked, fail(want, fmt.Sprintf("missing (the next stored entry is %d)", e.Seq))
			case e.ComputeHash() != e.Hash:
				return checked, fail(e.Seq, "content does not match its hash (changed)")
			case e.Prev != prev && e.Seq == b.Anchor.Seq+1:
				return checked, fail(e.Seq, "does not link to the purge anchor")
			case e.Prev != prev:
				return checked, fail(e.Seq-1, fmt.Sprintf("rewritten with a new hash (entry %d no longer links to it)", e.Seq))
			case hasCP && e.Seq == cp.Seq && e.Hash != cp.Hash:
				return checked, fail(e.Seq, "the hash differs from the one checkpointed on "+cp.Time.Format(time.RFC3339)+" (rewritten)")
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
	case want-1 < b.Head.Seq:
		return checked, fail(want, fmt.Sprintf("missing (the head is entry %d)", b.Head.Seq))
	case want-1 > b.Head.Seq:
		return checked, fail(b.Head.Seq+1, "stored beyond the head (inserted)")
	case prev != b.Head.Hash:
		return checked, fail(b.Head.Seq, "the head hash does not match this entry")
	}
	return checked, nil
}

// checkSavedCheckpoints reports chains whose checkpoint, kept in the
// database, was signed with the anchor's key but is absent from the
// anchor file: the file lost lines.
func (l *Ledger) checkSavedCheckpoints(ctx context.Context, chains []Bounds) error {
	latest, err := l.Anchor.Latest()
	if err != nil {
		return err
	}
	for _, b := range chains {
		cp, err := l.store.LatestCheckpoint(ctx, b.Chain)
		if err != nil {
			return fmt.Errorf("ledger: verify: %w", err)
		}
		if cp == nil || !l.Anchor.PublicKey().Equal(ed25519.PublicKey(cp.Key)) {
			continue
		}
		if f, ok := latest[b.Chain]; !ok || f.Seq < cp.Seq {
			return &ChainError{Chain: b.Chain, Seq: cp.Seq, Reason: "checkpointed, but the checkpoint is missing from the anchor file " + l.Anchor.Path()}
		}
	}
	return nil
}

// checkpointBatch bounds how many chains one Checkpoint call signs per
// round trip to the storage.
const checkpointBatch = 500

// Checkpoint signs the head of every chain that moved since its last
// checkpoint, appends the checkpoints to the anchor file (synced), then
// keeps each with its chain for exports. It returns how many it wrote.
func (l *Ledger) Checkpoint(ctx context.Context) (int, error) {
	if l.Anchor == nil {
		return 0, errors.New("ledger: checkpoint: no anchor file")
	}
	total := 0
	for {
		moved, err := l.store.Unanchored(ctx, checkpointBatch)
		if err != nil || len(moved) == 0 {
			return total, err
		}
		now := l.now().UTC().Truncate(time.Microsecond)
		cps := make([]Checkpoint, len(moved))
		for i, b := range moved {
			cps[i] = Checkpoint{Chain: b.Chain, Seq: b.Head.Seq, Hash: b.Head.Hash, Time: now}
			l.Anchor.sign(&cps[i])
		}
		if err := l.Anchor.write(cps); err != nil {
			return total, err
		}
		for _, cp := range cps {
			if err := l.store.SaveCheckpoint(ctx, cp); err != nil {
				return total, fmt.Errorf("ledger: checkpoint: %w", err)
			}
		}
		total += len(cps)
		if len(moved) < checkpointBatch {
			return total, nil
		}
	}
}

// Purge deletes the entries older than RetentionMonths before now,
// keeping in each chain the hash of the last deleted entry as the anchor
// from which the rest of the chain still verifies. It returns how many were deleted.
func (l *Ledger) Purge(ctx context.Context, now time.Time) (int, error) {
	cutoff := now.UTC().AddDate(0, -RetentionMonths, 0)
	n, err := l.store.PurgeBefore(ctx, cutoff)
	if err != nil {
		return 0, fmt.Errorf("ledger: purge before %s: %w", cutoff.Format(time.RFC3339), err)
	}
	return n, nil
}
