// Package ledger is the append-only, hash-chained record of every
// exchange, consent and access to evidence: who acted, on behalf of whom,
// what, when, on which legal basis and for which request.
//
// Entries form one chain per person (the OnBehalfOf of the record), so
// appends for different people never wait for each other. Each entry's
// hash is SHA-256 of the previous hash of its chain and the entry's
// canonical encoding, so Verify finds the first entry that was changed,
// removed or inserted. A chain rewritten from some entry on, or cut back,
// still links; an Anchor catches that: the service signs each chain's head
// at intervals (a Checkpoint) and appends it to a file outside the
// database, and every export carries the person's latest checkpoint.
//
// Storage is an interface; oots/store implements it on SQLite and
// PostgreSQL.
package ledger

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"time"
)

// Hash is a SHA-256 chain hash.
type Hash [sha256.Size]byte

// String returns the hash in lower-case hex.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// MarshalText encodes the hash as hex.
func (h Hash) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText decodes a hex hash.
func (h *Hash) UnmarshalText(b []byte) error {
	p, err := ParseHash(string(b))
	if err != nil {
		return err
	}
	*h = p
	return nil
}

// ParseHash decodes 64 hex digits.
func ParseHash(s string) (Hash, error) {
	var h Hash
	if len(s) != 2*len(h) {
		return h, fmt.Errorf("ledger: hash %q is not %d hex digits", truncate(s), 2*len(h))
	}
	if _, err := hex.Decode(h[:], []byte(s)); err != nil {
		return h, fmt.Errorf("ledger: hash: %w", err)
	}
	return h, nil
}

// Record is what the caller says about one event.
type Record struct {
	// Actor is who acted: a user, clerk or "service" id.
	Actor string
	// OnBehalfOf is whose data or request it is: the citizen or company
	// (equal to Actor when acting for oneself).
	OnBehalfOf string
	// Action names what happened, e.g. explicit_request_given,
	// evidence_delivered, evidence_viewed.
	Action string
	// What is the evidence type, document or requirement concerned.
	What string
	// LegalBasis is the procedure's legal basis (e.g. SDGR art. 14).
	LegalBasis string
	// RequestID is the evidence request the event belongs to, if any.
	RequestID string
}

// ChainOf is the chain a record goes to: the person it is about.
func ChainOf(r Record) string { return r.OnBehalfOf }

// Entry is one stored ledger entry.
type Entry struct {
	Record
	// Chain is the chain the entry belongs to (ChainOf its record; ""
	// for the single chain of ledgers from before per-person chains).
	Chain string
	// Seq is the entry's position in its chain, from 1, without gaps.
	Seq int64
	// Time is when the entry was appended, UTC, microsecond precision.
	Time time.Time
	// Prev is the hash of the entry before (or the purge anchor).
	Prev Hash
	// Hash is SHA-256(Prev ‖ canonical encoding of the entry).
	Hash Hash
}

// canonicalTag starts every canonical encoding, so a change of format
// can never produce equal bytes.
const canonicalTag = "vienreiz-ledger/1\n"

// Canonical returns the entry's canonical encoding: the tag, Seq and Time
// (Unix microseconds) as 8-byte big-endian numbers, then Actor,
// OnBehalfOf, Action, What, LegalBasis and RequestID, each prefixed with
// its length as a uvarint. Prev and Hash are not part of it.
func (e *Entry) Canonical() []byte {
	b := make([]byte, 0, 128)
	b = append(b, canonicalTag...)
	b = binary.BigEndian.AppendUint64(b, uint64(e.Seq))
	b = binary.BigEndian.AppendUint64(b, uint64(e.Time.UnixMicro()))
	for _, f := range [...]string{e.Actor, e.OnBehalfOf, e.Action, e.What, e.LegalBasis, e.RequestID} {
		b = binary.AppendUvarint(b, uint64(len(f)))
		b = append(b, f...)
	}
	return b
}

// ComputeHash returns SHA-256(e.Prev ‖ e.Canonical()).
func (e *Entry) ComputeHash() Hash {
	h := sha256.New()
	h.Write(e.Prev[:])
	h.Write(e.Canonical())
	var out Hash
	h.Sum(out[:0])
	return out
}

func truncate(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
