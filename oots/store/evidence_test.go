package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/internal/pgtest"
)

// TestEvidenceStreamsEncryptedWithRange stores documents of sizes around
// the chunk size encrypted, reads them back whole and from offsets (what
// Range requests do), and checks that the bytes at rest are not the
// document, on both stores.
func TestEvidenceStreamsEncryptedWithRange(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	key := bytes.Repeat([]byte{7}, 32)
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			if err := s.SetEvidenceKey(key); err != nil {
				t.Fatal(err)
			}
			if err := s.CreateRequest(ctx, RequestRecord{ID: "r1", Owner: "o", ServiceID: "svc", State: "sent", Doc: []byte(`{}`), CreatedAt: t0, UpdatedAt: t0}, []TimelineEntry{{At: t0}}, Effects{}); err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(1, 2))
			for i, size := range []int{0, 1, sealChunk - 1, sealChunk, sealChunk + 1, 3*sealChunk + 17} {
				doc := make([]byte, size)
				for j := range doc {
					doc[j] = byte(rng.UintN(256))
				}
				if err := s.PutEvidenceFrom(ctx, EvidenceDoc{RequestID: "r1", Index: i, ContentType: "application/pdf"}, bytes.NewReader(doc)); err != nil {
					t.Fatal(err)
				}
				d, r, err := s.OpenEvidence(ctx, "r1", i)
				if err != nil {
					t.Fatal(err)
				}
				got, err := io.ReadAll(r)
				if err != nil || !bytes.Equal(got, doc) || d.Size != int64(size) || d.SHA256 != fmt.Sprintf("%x", sha256.Sum256(doc)) {
					t.Fatalf("size %d: read %d bytes (%v), size %d, digest %s", size, len(got), err, d.Size, d.SHA256)
				}
				for _, off := range []int{size / 2, size - 1, sealChunk + 3} {
					if off < 0 || off >= size {
						continue
					}
					if _, err := r.Seek(int64(off), io.SeekStart); err != nil {
						t.Fatal(err)
					}
					part := make([]byte, min(100, size-off))
					if _, err := io.ReadFull(r, part); err != nil || !bytes.Equal(part, doc[off:off+len(part)]) {
						t.Fatalf("size %d: range at %d: %v", size, off, err)
					}
				}
				r.Close()
			}
			if name == "sqlite" {
				checkNotInClear(t, s)
			}
		})
	}
}

// checkNotInClear reads the files at rest: each is sealed.
func checkNotInClear(t *testing.T, s *Store) {
	dir := s.blobs.(fileBlobs).dir
	n := 0
	filepath.WalkDir(dir, func(path string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(data, []byte(sealMagic)) {
			t.Errorf("%s is not sealed", path)
		}
		n++
		return nil
	})
	if n == 0 {
		t.Error("no evidence file at rest")
	}
}

// TestEvidenceSealedNeedsItsKey: without the key, or with another, a
// sealed document is refused with ErrEvidenceKey; a truncated one too.
func TestEvidenceSealedNeedsItsKey(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	path := filepath.Join(t.TempDir(), "vienreiz.db")
	s, err := Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SetEvidenceKey(bytes.Repeat([]byte{1}, 32)); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateRequest(ctx, RequestRecord{ID: "r1", Owner: "o", ServiceID: "svc", State: "sent", Doc: []byte(`{}`), CreatedAt: t0, UpdatedAt: t0}, []TimelineEntry{{At: t0}}, Effects{}); err != nil {
		t.Fatal(err)
	}
	doc := bytes.Repeat([]byte("evidence "), 20000)
	if err := s.PutEvidence(ctx, EvidenceDoc{RequestID: "r1", ContentType: "text/plain", Data: doc}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetEvidenceKey(bytes.Repeat([]byte{2}, 32)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Evidence(ctx, "r1", 0); !errors.Is(err, ErrEvidenceKey) {
		t.Fatalf("wrong key: %v", err)
	}
	s.evidenceKey = nil
	if _, err := s.Evidence(ctx, "r1", 0); !errors.Is(err, ErrEvidenceKey) {
		t.Fatalf("no key: %v", err)
	}
	if err := s.SetEvidenceKey(bytes.Repeat([]byte{1}, 32)); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(s.blobs.(fileBlobs).dir, fmt.Sprintf("%x", sha256.Sum256(doc))[:2], fmt.Sprintf("%x", sha256.Sum256(doc)))
	info, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(file, info.Size()-sealTag); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Evidence(ctx, "r1", 0); err == nil {
		t.Fatal("a truncated document was read")
	}
}

// TestEvidenceDownloadHoldsNoConnection: on PostgreSQL with a pool of one
// connection, a document being read leaves the pool free between reads, so
// that the download's own ledger entry, and every other call, goes on. A
// reader that kept its connection (a large object opened in a transaction)
// stopped the whole service once as many downloads ran as the pool had
// connections (found by the kill -9 loop with pool_max_conns=1).
func TestEvidenceDownloadHoldsNoConnection(t *testing.T) {
	dsn := pgtest.Fresh(t)
	if dsn == "" {
		t.Skipf("PostgreSQL only: set %s (make test starts one; CI requires it)", pgtest.Env)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("pool_max_conns", "1")
	u.RawQuery = q.Encode()
	ctx := context.Background()
	s, err := Open(ctx, u.String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	t0 := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	if err := s.CreateRequest(ctx, RequestRecord{ID: "r1", Owner: "o", ServiceID: "svc", State: "sent", Doc: []byte(`{}`), CreatedAt: t0, UpdatedAt: t0}, []TimelineEntry{{At: t0}}, Effects{}); err != nil {
		t.Fatal(err)
	}
	doc := bytes.Repeat([]byte("evidence "), (3*loChunk)/9+5)
	if err := s.PutEvidenceFrom(ctx, EvidenceDoc{RequestID: "r1", Index: 0, ContentType: "application/pdf"}, bytes.NewReader(doc)); err != nil {
		t.Fatal(err)
	}
	_, r, err := s.OpenEvidence(ctx, "r1", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var got bytes.Buffer
	for {
		if _, err := io.CopyN(&got, r, 100_000); err != nil {
			if err != io.EOF {
				t.Fatal(err)
			}
			break
		}
		// Between two reads of the download, another call of the store.
		callCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		_, err := s.Request(callCtx, "r1")
		cancel()
		if err != nil {
			t.Fatalf("a call while a download is under way: %v", err)
		}
	}
	if !bytes.Equal(got.Bytes(), doc) {
		t.Fatalf("read %d bytes, want the %d stored", got.Len(), len(doc))
	}
	if n, err := r.Seek(0, io.SeekEnd); err != nil || n != int64(len(doc)) {
		t.Fatalf("seek to the end: %d, %v; want %d", n, err, len(doc))
	}
}
