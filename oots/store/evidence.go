package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// MaxEvidenceSize is the largest evidence document the store keeps.
const MaxEvidenceSize = 64 << 20

// EvidenceDoc is one delivered evidence document of a request.
type EvidenceDoc struct {
	RequestID   string
	Index       int
	ContentType string
	// SHA256 is the hex digest of Data.
	SHA256 string
	Data   []byte
}

// PutEvidence stores document d of a request, replacing one with the same
// index (an answer delivered twice stores the same bytes again).
func (s *Store) PutEvidence(ctx context.Context, d EvidenceDoc) error {
	if len(d.Data) > MaxEvidenceSize {
		return fmt.Errorf("store: evidence %s/%d is %d bytes, more than %d", d.RequestID, d.Index, len(d.Data), MaxEvidenceSize)
	}
	data := d.Data
	if data == nil {
		data = []byte{}
	}
	if _, err := s.w.ExecContext(ctx, s.q(`INSERT INTO evidence (request_id, idx, content_type, sha256, size, data) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (request_id, idx) DO UPDATE SET content_type = excluded.content_type, sha256 = excluded.sha256, size = excluded.size, data = excluded.data`),
		d.RequestID, d.Index, d.ContentType, d.SHA256, len(data), data); err != nil {
		return fmt.Errorf("store: keeping evidence %s/%d: %w", d.RequestID, d.Index, err)
	}
	return nil
}

// Evidence returns document index of a request, or ErrNotFound.
func (s *Store) Evidence(ctx context.Context, requestID string, index int) (*EvidenceDoc, error) {
	d := EvidenceDoc{RequestID: requestID, Index: index}
	err := s.db.QueryRowContext(ctx, s.q(`SELECT content_type, sha256, data FROM evidence WHERE request_id = ? AND idx = ?`), requestID, index).
		Scan(&d.ContentType, &d.SHA256, &d.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("evidence %s/%d: %w", requestID, index, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: evidence %s/%d: %w", requestID, index, err)
	}
	return &d, nil
}
