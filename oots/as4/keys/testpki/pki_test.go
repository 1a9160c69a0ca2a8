package testpki

import (
	"bytes"
	"crypto/x509"
	"errors"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4/keys"
)

var refTime = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func TestIssueKindsAgainstTrustStore(t *testing.T) {
	p, err := New(refTime)
	if err != nil {
		t.Fatal(err)
	}
	trust := p.TrustStore()
	tests := []struct {
		kind  Kind
		usage x509.KeyUsage
		want  error
	}{
		{Valid, x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment, nil},
		{Expired, 0, keys.ErrExpired},
		{NotYetValid, 0, keys.ErrNotYetValid},
		{WrongUsage, x509.KeyUsageDigitalSignature, keys.ErrKeyUsage},
		{WrongUsage, x509.KeyUsageKeyEncipherment, keys.ErrKeyUsage},
		{SignOnly, x509.KeyUsageDigitalSignature, nil},
		{SignOnly, x509.KeyUsageKeyEncipherment, keys.ErrKeyUsage},
		{EncryptOnly, x509.KeyUsageKeyEncipherment, nil},
		{EncryptOnly, x509.KeyUsageDigitalSignature, keys.ErrKeyUsage},
	}
	for _, tt := range tests {
		t.Run(tt.kind.String(), func(t *testing.T) {
			id, err := p.Issue("party-a", tt.kind)
			if err != nil {
				t.Fatal(err)
			}
			err = trust.VerifyKeyUsage(id.Cert, refTime, tt.usage)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("VerifyKeyUsage(%v) = %v, want %v", tt.usage, err, tt.want)
			}
		})
	}
}

func TestWrongUsageFailsExtendedKeyUsage(t *testing.T) {
	p, err := New(refTime)
	if err != nil {
		t.Fatal(err)
	}
	id, err := p.Issue("party-a", WrongUsage)
	if err != nil {
		t.Fatal(err)
	}
	err = p.TrustStore().Verify(id.Cert, refTime, x509.ExtKeyUsageClientAuth)
	if !errors.Is(err, keys.ErrKeyUsage) {
		t.Fatalf("Verify(clientAuth) = %v, want ErrKeyUsage", err)
	}
}

func TestSelfSignedIsUntrusted(t *testing.T) {
	p, err := New(refTime)
	if err != nil {
		t.Fatal(err)
	}
	id, err := p.SelfSigned("stranger")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.TrustStore().Verify(id.Cert, refTime); !errors.Is(err, keys.ErrUntrusted) {
		t.Fatalf("Verify(self-signed) = %v, want ErrUntrusted", err)
	}
	if err := keys.NewTrustStore(id.Cert).Verify(id.Cert, refTime); err != nil {
		t.Fatalf("pinned self-signed certificate: %v", err)
	}
}

func TestDeterministicAndCached(t *testing.T) {
	p1, err := New(refTime)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := New(refTime)
	if err != nil {
		t.Fatal(err)
	}
	a, err := p1.Party("LV")
	if err != nil {
		t.Fatal(err)
	}
	b, err := p2.Party("LV")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Cert.Raw, b.Cert.Raw) {
		t.Error("same name, kind and time gave different certificates")
	}
	if a.Key != b.Key {
		t.Error("key for the same name was generated twice")
	}
	c, err := p1.Party("XX")
	if err != nil {
		t.Fatal(err)
	}
	if a.Cert.SerialNumber.Cmp(c.Cert.SerialNumber) == 0 {
		t.Error("different parties share a serial number")
	}
	if len(a.Chain) != 2 || a.Chain[0] != p1.Issuer || a.Chain[1] != p1.Root {
		t.Errorf("chain = %v, want issuer then root", a.Chain)
	}
	if _, err := a.Decrypter(); err != nil {
		t.Errorf("party key cannot decrypt: %v", err)
	}
}

func TestUnknownKind(t *testing.T) {
	p, err := New(refTime)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Issue("x", Kind(99)); err == nil {
		t.Fatal("Issue(Kind(99)) succeeded")
	}
}
