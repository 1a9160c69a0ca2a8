package testpki

import (
	"crypto/rand"
	"crypto/rsa"
	"testing"
)

// BenchmarkGenerateKey is the baseline: what every party certificate
// would cost without the key cache.
func BenchmarkGenerateKey(b *testing.B) {
	for b.Loop() {
		if _, err := rsa.GenerateKey(rand.Reader, KeyBits); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIssueCached issues a party certificate with a cached key.
func BenchmarkIssueCached(b *testing.B) {
	p, err := New(refTime)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Issue("bench", Expired); err != nil {
			b.Fatal(err)
		}
	}
}
