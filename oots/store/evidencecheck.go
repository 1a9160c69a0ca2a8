package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
)

// EvidenceCheck is what CheckEvidence found.
type EvidenceCheck struct {
	// Documents is how many evidence documents the database names.
	Documents int
	// Hashed were read whole and their SHA-256 compared with the one
	// recorded; SizeOnly are encrypted and were checked by their stored
	// length alone, for want of the evidence key.
	Hashed, SizeOnly int
	// Problems names each document that is missing, short or altered.
	Problems []string
}

// CheckEvidence reads every evidence document the database names and
// compares its content with the SHA-256 recorded when it was kept (an
// encrypted one without the evidence key: its stored length), as a backup
// or a restore is checked. progress, when not nil, is told after each
// document how many of how many are done.
func (s *Store) CheckEvidence(ctx context.Context, progress func(done, total int)) (EvidenceCheck, error) {
	type doc struct {
		requestID string
		index     int
		sha       string
		size      int64
		ref       string
		sealed    bool
	}
	rows, err := s.db.QueryContext(ctx, `SELECT request_id, idx, sha256, size, blob, sealed FROM evidence ORDER BY request_id, idx`)
	if err != nil {
		return EvidenceCheck{}, fmt.Errorf("store: evidence: %w", err)
	}
	var docs []doc
	for rows.Next() {
		var d doc
		if err := rows.Scan(&d.requestID, &d.index, &d.sha, &d.size, &d.ref, &d.sealed); err != nil {
			rows.Close()
			return EvidenceCheck{}, fmt.Errorf("store: evidence: %w", err)
		}
		docs = append(docs, d)
	}
	if err := rows.Close(); err != nil {
		return EvidenceCheck{}, fmt.Errorf("store: evidence: %w", err)
	}
	if err := rows.Err(); err != nil {
		return EvidenceCheck{}, fmt.Errorf("store: evidence: %w", err)
	}
	c := EvidenceCheck{Documents: len(docs)}
	for i, d := range docs {
		if err := ctx.Err(); err != nil {
			return c, err
		}
		var problem string
		if d.sealed && s.evidenceKey == nil {
			problem = s.checkStoredSize(ctx, d.ref, sealedSize(d.size))
			c.SizeOnly++
		} else {
			problem = s.checkContent(ctx, d.requestID, d.index, d.sha, d.size)
			c.Hashed++
		}
		if problem != "" {
			c.Problems = append(c.Problems, fmt.Sprintf("request %s document %d: %s", d.requestID, d.index, problem))
		}
		if progress != nil {
			progress(i+1, len(docs))
		}
	}
	return c, nil
}

// checkContent reads a document whole and says what is wrong with it
// ("" when its length and SHA-256 are the recorded ones).
func (s *Store) checkContent(ctx context.Context, requestID string, index int, sha string, size int64) string {
	_, r, err := s.OpenEvidence(ctx, requestID, index)
	if err != nil {
		return err.Error()
	}
	defer r.Close()
	h := sha256.New()
	n, err := io.CopyBuffer(h, r, make([]byte, 64<<10))
	switch {
	case err != nil:
		return fmt.Sprintf("unreadable after %d bytes: %v", n, err)
	case n != size:
		return fmt.Sprintf("%d bytes, %d recorded", n, size)
	case hex.EncodeToString(h.Sum(nil)) != sha:
		return "its content is not the one kept (SHA-256 differs)"
	}
	return ""
}

// checkStoredSize says what is wrong with an encrypted blob's length ("" when
// it is the one its document's size gives).
func (s *Store) checkStoredSize(ctx context.Context, ref string, stored int64) string {
	blob, err := s.blobs.open(ctx, ref, stored)
	if err != nil {
		return err.Error()
	}
	defer blob.Close()
	n, err := blob.Seek(0, io.SeekEnd)
	switch {
	case err != nil:
		return err.Error()
	case n != stored:
		return fmt.Sprintf("%d bytes stored, %d expected", n, stored)
	}
	return ""
}
