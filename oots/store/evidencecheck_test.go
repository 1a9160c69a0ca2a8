package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCheckEvidenceFindsEveryDamagedDocument: five documents, two of them
// encrypted. On the files at rest one clear document has a byte flipped,
// one is cut short, one encrypted one is gone; the check names those three
// and only those, reading clear ones whole and, without the key, checking
// the encrypted ones' length; with the key it reads those whole too.
func TestCheckEvidenceFindsEveryDamagedDocument(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	s, err := Open(ctx, filepath.Join(t.TempDir(), "vienreiz.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.CreateRequest(ctx, RequestRecord{ID: "r1", Owner: "o", ServiceID: "svc", State: "delivered", Doc: []byte(`{}`), CreatedAt: t0, UpdatedAt: t0}, []TimelineEntry{{At: t0}}, Effects{}); err != nil {
		t.Fatal(err)
	}
	key := bytes.Repeat([]byte{3}, 32)
	docs := make([][]byte, 5)
	for i := range docs {
		docs[i] = bytes.Repeat([]byte(fmt.Sprintf("document %d ", i)), 10000+i)
		if i == 3 {
			if err := s.SetEvidenceKey(key); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.PutEvidence(ctx, EvidenceDoc{RequestID: "r1", Index: i, ContentType: "text/plain", Data: docs[i]}); err != nil {
			t.Fatal(err)
		}
	}
	s.evidenceKey = nil
	c, err := s.CheckEvidence(ctx, nil)
	if err != nil || c.Documents != 5 || c.Hashed != 3 || c.SizeOnly != 2 || len(c.Problems) != 0 {
		t.Fatalf("intact documents: %+v, %v", c, err)
	}

	file := func(i int) string {
		sum := fmt.Sprintf("%x", sha256.Sum256(docs[i]))
		return filepath.Join(s.blobs.(fileBlobs).dir, sum[:2], sum)
	}
	flipped, err := os.ReadFile(file(1))
	if err != nil {
		t.Fatal(err)
	}
	flipped[len(flipped)/2] ^= 1
	if err := os.WriteFile(file(1), flipped, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(file(2), 100); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(file(4)); err != nil {
		t.Fatal(err)
	}
	var progress []int
	c, err = s.CheckEvidence(ctx, func(done, total int) {
		if total != 5 {
			t.Errorf("progress of %d documents, want 5", total)
		}
		progress = append(progress, done)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Problems) != 3 || !strings.Contains(c.Problems[0], "document 1: its content is not the one kept") ||
		!strings.Contains(c.Problems[1], "document 2: 100 bytes") || !strings.Contains(c.Problems[2], "document 4:") {
		t.Fatalf("damaged documents: %q", c.Problems)
	}
	if fmt.Sprint(progress) != "[1 2 3 4 5]" {
		t.Errorf("progress %v", progress)
	}

	if err := s.SetEvidenceKey(key); err != nil {
		t.Fatal(err)
	}
	c, err = s.CheckEvidence(ctx, nil)
	if err != nil || c.Hashed != 5 || c.SizeOnly != 0 || len(c.Problems) != 3 {
		t.Fatalf("with the key: %+v, %v", c, err)
	}
}
