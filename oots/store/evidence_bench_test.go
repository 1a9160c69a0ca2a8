package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkEvidenceStream streams one document (1 GiB, or
// VIENREIZ_EVIDENCE_BENCH_SIZE bytes) into the store encrypted, then out
// over HTTP (http.ServeContent, as the API serves it) to a client that
// writes it to a file while hashing. It reports the throughput as a ratio
// to a plain hashed copy of the same bytes to a file in the same run, and
// the process's peak RSS, which holds the store, the server and the
// client at once.
func BenchmarkEvidenceStream(b *testing.B) {
	size := int64(1 << 30)
	if v, err := strconv.ParseInt(os.Getenv("VIENREIZ_EVIDENCE_BENCH_SIZE"), 10, 64); err == nil && v > 0 {
		size = v
	}
	ctx := context.Background()
	dir := b.TempDir()
	s, err := Open(ctx, filepath.Join(dir, "vienreiz.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := s.SetEvidenceKey(bytes.Repeat([]byte{3}, 32)); err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	if err := s.CreateRequest(ctx, RequestRecord{ID: "r1", Owner: "o", ServiceID: "svc", State: "sent", Doc: []byte(`{}`), CreatedAt: t0, UpdatedAt: t0}, []TimelineEntry{{At: t0}}, Effects{}); err != nil {
		b.Fatal(err)
	}
	content := func() io.Reader { return io.LimitReader(rand.NewChaCha8([32]byte{1}), size) }
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, rc, err := s.OpenEvidence(r.Context(), "r1", 0)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer rc.Close()
		http.ServeContent(w, r, "", time.Time{}, rc)
	}))
	defer srv.Close()
	var base, stream time.Duration
	for b.Loop() {
		start := time.Now()
		if err := hashedCopy(filepath.Join(dir, "baseline"), content()); err != nil {
			b.Fatal(err)
		}
		base += time.Since(start)

		start = time.Now()
		if err := s.PutEvidenceFrom(ctx, EvidenceDoc{RequestID: "r1", ContentType: "application/pdf"}, content()); err != nil {
			b.Fatal(err)
		}
		resp, err := http.Get(srv.URL)
		if err != nil {
			b.Fatal(err)
		}
		err = hashedCopy(filepath.Join(dir, "saved"), resp.Body)
		resp.Body.Close()
		if err != nil {
			b.Fatal(err)
		}
		stream += time.Since(start)
		if info, err := os.Stat(filepath.Join(dir, "saved")); err != nil || info.Size() != size {
			b.Fatalf("saved %v bytes (%v), want %d", info.Size(), err, size)
		}
	}
	b.ReportMetric(float64(size)/(1<<20)/stream.Seconds()*float64(b.N), "MiB/s")
	b.ReportMetric(base.Seconds()/stream.Seconds(), "throughput-ratio-to-file-copy")
	if kb := vmHWM(); kb > 0 {
		b.ReportMetric(float64(kb)/1024, "peak-RSS-MiB")
	}
}

// hashedCopy writes r to path while hashing it, as the client saves.
func hashedCopy(path string, r io.Reader) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	h := sha256.New()
	_, err = io.CopyBuffer(io.MultiWriter(f, h), r, make([]byte, 64<<10))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// vmHWM is the process's peak RSS in KiB, or -1.
func vmHWM() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return -1
}
