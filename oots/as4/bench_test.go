package as4_test

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/as4/sqlitestore"
)

// BenchmarkRSA2048x3 is the bound of a secured round trip: three RSA-2048
// private-key operations (sign the message, unwrap its key, sign the
// receipt). Compare BenchmarkRoundTrip* with it.
func BenchmarkRSA2048x3(b *testing.B) {
	w := newWorld(b, 0)
	key := w.lvID.Key.(*rsa.PrivateKey)
	digest := sha256.Sum256([]byte("vienreiz"))
	b.ReportAllocs()
	for b.Loop() {
		for range 3 {
			if _, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, digest[:]); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkRoundTripMemStores sends a small query (1 KiB) signed,
// compressed and encrypted over loopback HTTP; the receiver decrypts,
// verifies, decompresses, delivers and signs a receipt, which the sender
// verifies. Outbox and duplicate store are in memory.
func BenchmarkRoundTripMemStores(b *testing.B) {
	w := newWorld(b, 1)
	w.noRecord.Store(true)
	w.recv[0].Duplicates = as4.NewMemStore()
	benchRoundTrip(b, w, w.memSender())
}

// BenchmarkRoundTripSQLite is the same with SQLite outbox and duplicate
// store (synchronous=FULL, so it includes fsyncs).
func BenchmarkRoundTripSQLite(b *testing.B) {
	w := newWorld(b, 1)
	w.noRecord.Store(true)
	store, err := sqlitestore.Open(context.Background(), filepath.Join(b.TempDir(), "outbox.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	benchRoundTrip(b, w, w.sender(store, b.TempDir()))
}

// BenchmarkRoundTripRatio interleaves one RSA-2048 ×3 baseline and one
// in-memory-store round trip per iteration, so that load on a shared
// machine hits both alike, and reports bound/roundtrip in wall time as
// "of-bound" (goal ≥ 0.60) and in process CPU time as "cpu-of-bound",
// besides the two wall times.
func BenchmarkRoundTripRatio(b *testing.B) {
	w := newWorld(b, 1)
	w.noRecord.Store(true)
	w.recv[0].Duplicates = as4.NewMemStore()
	s := w.memSender()
	key := w.lvID.Key.(*rsa.PrivateKey)
	digest := sha256.Sum256([]byte("vienreiz"))
	query := []byte(strings.Repeat("<evidence/>", 93))
	ctx := context.Background()
	var rsaTime, rtTime, rsaCPU, rtCPU time.Duration
	b.ReportAllocs()
	for b.Loop() {
		t0, c0 := time.Now(), cpuTime()
		for range 3 {
			if _, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, digest[:]); err != nil {
				b.Fatal(err)
			}
		}
		t1, c1 := time.Now(), cpuTime()
		if _, err := s.Send(ctx, querySubmission(payload("q@x", as4.MimeEbRS, query))); err != nil {
			b.Fatal(err)
		}
		rsaTime += t1.Sub(t0)
		rtTime += time.Since(t1)
		rsaCPU += c1 - c0
		rtCPU += cpuTime() - c1
	}
	b.ReportMetric(float64(rsaTime)/float64(rtTime), "of-bound")
	if rtCPU > 0 {
		// CPU time of the whole process (both MSH sides, GC included): the
		// same ratio, less sensitive to other load on the machine.
		b.ReportMetric(float64(rsaCPU)/float64(rtCPU), "cpu-of-bound")
		b.ReportMetric(float64(rtCPU.Nanoseconds())/float64(b.N), "roundtrip-cpu-ns/op")
		b.ReportMetric(float64(rsaCPU.Nanoseconds())/float64(b.N), "rsa-cpu-ns/op")
	}
	b.ReportMetric(float64(rsaTime.Nanoseconds())/float64(b.N), "rsa-ns/op")
	b.ReportMetric(float64(rtTime.Nanoseconds())/float64(b.N), "roundtrip-ns/op")
}

func benchRoundTrip(b *testing.B, w *world, s *as4.Sender) {
	query := make([]byte, 1024)
	for i := range query {
		query[i] = "<evidence/>"[i%11]
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.Send(ctx, querySubmission(payload("q@x", as4.MimeEbRS, query))); err != nil {
			b.Fatal(err)
		}
	}
}
