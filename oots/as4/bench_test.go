package as4_test

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"path/filepath"
	"testing"

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
	w.recv[0].Duplicates = as4.NewMemStore()
	benchRoundTrip(b, w, w.memSender())
}

// BenchmarkRoundTripSQLite is the same with SQLite outbox and duplicate
// store (synchronous=FULL, so it includes fsyncs).
func BenchmarkRoundTripSQLite(b *testing.B) {
	w := newWorld(b, 1)
	store, err := sqlitestore.Open(context.Background(), filepath.Join(b.TempDir(), "outbox.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	benchRoundTrip(b, w, w.sender(store, b.TempDir()))
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
