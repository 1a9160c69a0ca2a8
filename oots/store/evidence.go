package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
)

// EvidenceDoc describes one delivered evidence document of a request.
type EvidenceDoc struct {
	RequestID   string
	Index       int
	ContentType string
	// SHA256 is the hex digest of the content, computed by the store.
	SHA256 string
	Size   int64
	// Data is the content, for PutEvidence and Evidence (small documents,
	// tests); large ones go through PutEvidenceFrom and OpenEvidence.
	Data []byte
}

// SetEvidenceKey makes the store encrypt the evidence documents it keeps
// from now on with key (32 bytes, AES-256-GCM in chunks) and decrypt
// those it reads. Without a key documents are kept in clear.
func (s *Store) SetEvidenceKey(key []byte) error {
	aead, err := newAEAD(key)
	if err != nil {
		return err
	}
	s.evidenceKey = aead
	return nil
}

// PutEvidence stores d.Data as document d.Index of d.RequestID.
func (s *Store) PutEvidence(ctx context.Context, d EvidenceDoc) error {
	return s.PutEvidenceFrom(ctx, d, bytes.NewReader(d.Data))
}

// PutEvidenceFrom streams document d.Index of d.RequestID from r into the
// store (a content-addressed file beside an SQLite database, a large
// object in PostgreSQL), encrypted when a key is set, and records it,
// replacing one with the same index (an answer delivered twice stores the
// same bytes again). Memory use does not grow with the document.
func (s *Store) PutEvidenceFrom(ctx context.Context, d EvidenceDoc, r io.Reader) error {
	b, err := s.KeepBlob(ctx, r)
	if err != nil {
		return fmt.Errorf("store: keeping evidence %s/%d: %w", d.RequestID, d.Index, err)
	}
	if _, err := s.w.ExecContext(ctx, s.q(insertEvidence+`
		ON CONFLICT (request_id, idx) DO UPDATE SET content_type = excluded.content_type, sha256 = excluded.sha256, size = excluded.size,
			data = excluded.data, blob = excluded.blob, sealed = excluded.sealed`),
		d.RequestID, d.Index, d.ContentType, b.SHA256, b.Size, []byte{}, b.ref, b.sealed); err != nil {
		return fmt.Errorf("store: keeping evidence %s/%d: %w", d.RequestID, d.Index, err)
	}
	return nil
}

const insertEvidence = `INSERT INTO evidence (request_id, idx, content_type, sha256, size, data, blob, sealed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`

// Blob is a document's content kept by KeepBlob, not yet recorded as a
// document of a request (EvidenceRow does that with a change).
type Blob struct {
	// SHA256 is the hex digest of the content; Size its length.
	SHA256 string
	Size   int64
	ref    string
	sealed bool
}

// KeepBlob streams r into the blob store, encrypted when an evidence key
// is set. A blob no row names is left over, never wrong: the store is
// content-addressed.
func (s *Store) KeepBlob(ctx context.Context, r io.Reader) (Blob, error) {
	aead := s.evidenceKey
	var size int64
	var sum [sha256.Size]byte
	ref, err := s.blobs.put(ctx, func(w io.Writer) (string, error) {
		h := sha256.New()
		src := io.TeeReader(r, h)
		var err error
		if aead != nil {
			size, err = seal(aead, w, src)
		} else {
			size, err = io.CopyBuffer(w, src, make([]byte, 64<<10))
		}
		h.Sum(sum[:0])
		return hex.EncodeToString(sum[:]), err
	})
	if err != nil {
		return Blob{}, err
	}
	return Blob{SHA256: hex.EncodeToString(sum[:]), Size: size, ref: ref, sealed: aead != nil}, nil
}

// EvidenceRow records a kept blob as document Index of the request a
// change is made to (Effects.Evidence); an index already taken fails the
// change.
type EvidenceRow struct {
	Index       int
	ContentType string
	Blob        Blob
}

// OpenEvidence returns document index of a request, or ErrNotFound, and
// its content, seekable for Range requests. Close the reader.
func (s *Store) OpenEvidence(ctx context.Context, requestID string, index int) (*EvidenceDoc, io.ReadSeekCloser, error) {
	d := EvidenceDoc{RequestID: requestID, Index: index}
	var ref string
	var sealed bool
	var inRow []byte
	err := s.db.QueryRowContext(ctx, s.q(`SELECT content_type, sha256, size, blob, sealed, CASE WHEN blob = '' THEN data END FROM evidence WHERE request_id = ? AND idx = ?`), requestID, index).
		Scan(&d.ContentType, &d.SHA256, &d.Size, &ref, &sealed, &inRow)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, fmt.Errorf("evidence %s/%d: %w", requestID, index, ErrNotFound)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("store: evidence %s/%d: %w", requestID, index, err)
	}
	if ref == "" { // kept in the row by an earlier version
		return &d, nopCloser{bytes.NewReader(inRow)}, nil
	}
	stored := d.Size
	if sealed {
		stored = sealedSize(d.Size)
	}
	blob, err := s.blobs.open(ctx, ref, stored)
	if err != nil {
		return nil, nil, fmt.Errorf("store: evidence %s/%d: %w", requestID, index, err)
	}
	if !sealed {
		return &d, blob, nil
	}
	if s.evidenceKey == nil {
		blob.Close()
		return nil, nil, fmt.Errorf("evidence %s/%d is encrypted: %w", requestID, index, ErrEvidenceKey)
	}
	plain, err := openSealed(s.evidenceKey, blob, d.Size)
	if err != nil {
		blob.Close()
		return nil, nil, err
	}
	return &d, readSeekCloser{plain, blob}, nil
}

// Evidence returns document index of a request with its content read
// whole, or ErrNotFound; for small documents (tests, exports).
func (s *Store) Evidence(ctx context.Context, requestID string, index int) (*EvidenceDoc, error) {
	d, r, err := s.OpenEvidence(ctx, requestID, index)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	if d.Data, err = io.ReadAll(r); err != nil {
		return nil, fmt.Errorf("store: evidence %s/%d: %w", requestID, index, err)
	}
	return d, nil
}

type nopCloser struct{ io.ReadSeeker }

func (nopCloser) Close() error { return nil }

// readSeekCloser reads and seeks through one value and closes another.
type readSeekCloser struct {
	io.ReadSeeker
	c io.Closer
}

func (r readSeekCloser) Close() error { return r.c.Close() }
