package keys_test

import (
	"bytes"
	"crypto/x509"
	"testing"

	"github.com/vienreiz/vienreiz/oots/as4/keys"
)

// BenchmarkX509Verify is the baseline for BenchmarkTrustStoreVerify: the
// standard library's chain check alone.
func BenchmarkX509Verify(b *testing.B) {
	p := newPKI(b)
	id, err := p.Party("LV")
	if err != nil {
		b.Fatal(err)
	}
	roots, inter := x509.NewCertPool(), x509.NewCertPool()
	roots.AddCert(p.Root)
	inter.AddCert(p.Issuer)
	opts := x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: refTime, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := id.Cert.Verify(opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTrustStoreVerify checks dates, key usage and chain.
func BenchmarkTrustStoreVerify(b *testing.B) {
	p := newPKI(b)
	id, err := p.Party("LV")
	if err != nil {
		b.Fatal(err)
	}
	ts := p.TrustStore()
	b.ReportAllocs()
	for b.Loop() {
		if err := ts.VerifyKeyUsage(id.Cert, refTime, x509.KeyUsageDigitalSignature); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadPKCS12 loads an identity from a modern PKCS#12 store
// (PBKDF2 dominates).
func BenchmarkLoadPKCS12(b *testing.B) {
	p := newPKI(b)
	id, err := p.Party("LV")
	if err != nil {
		b.Fatal(err)
	}
	data, err := keys.EncodePKCS12(id, "pw")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := keys.LoadPKCS12(data, "", "pw"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadJKS loads the same identity from a JKS store.
func BenchmarkLoadJKS(b *testing.B) {
	p := newPKI(b)
	id, err := p.Party("LV")
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := keys.WriteJKS(&buf, "pw", "lv", id, "", nil); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := keys.LoadJKS(buf.Bytes(), "pw", "lv", ""); err != nil {
			b.Fatal(err)
		}
	}
}
