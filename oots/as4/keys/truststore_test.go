package keys_test

import (
	"crypto/rand"
	"crypto/x509"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4/keys"
	"github.com/vienreiz/vienreiz/oots/as4/keys/testpki"
)

func TestTrustStoreVerify(t *testing.T) {
	p := newPKI(t)
	full := p.TrustStore()
	rootOnly := keys.NewTrustStore(p.Root) // no intermediate to build the chain
	valid, err := p.Party("LV")
	if err != nil {
		t.Fatal(err)
	}
	stranger, err := p.SelfSigned("stranger")
	if err != nil {
		t.Fatal(err)
	}
	issue := func(k testpki.Kind) *x509.Certificate {
		id, err := p.Issue("LV", k)
		if err != nil {
			t.Fatal(err)
		}
		return id.Cert
	}
	tests := []struct {
		name    string
		trust   *keys.TrustStore
		cert    *x509.Certificate
		at      time.Time
		ku      x509.KeyUsage
		eku     []x509.ExtKeyUsage
		want    error
		wantMsg string
	}{
		{"valid signer", full, valid.Cert, refTime, x509.KeyUsageDigitalSignature, nil, nil, ""},
		{"valid recipient", full, valid.Cert, refTime, x509.KeyUsageKeyEncipherment, nil, nil, ""},
		{"valid with eku", full, valid.Cert, refTime, 0, []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, nil, ""},
		{"expired", full, issue(testpki.Expired), refTime, 0, nil, keys.ErrExpired, "valid until"},
		{"not yet valid", full, issue(testpki.NotYetValid), refTime, 0, nil, keys.ErrNotYetValid, "valid from"},
		{"valid cert checked after expiry", full, valid.Cert, refTime.AddDate(2, 0, 0), 0, nil, keys.ErrExpired, ""},
		{"wrong key usage for signing", full, issue(testpki.WrongUsage), refTime, x509.KeyUsageDigitalSignature, nil, keys.ErrKeyUsage, "needs digitalSignature"},
		{"wrong key usage for encryption", full, issue(testpki.WrongUsage), refTime, x509.KeyUsageKeyEncipherment, nil, keys.ErrKeyUsage, "needs keyEncipherment"},
		{"sign-only cert used for encryption", full, issue(testpki.SignOnly), refTime, x509.KeyUsageKeyEncipherment, nil, keys.ErrKeyUsage, ""},
		{"wrong extended key usage", full, issue(testpki.WrongUsage), refTime, 0, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, keys.ErrKeyUsage, "extended key usage"},
		{"unknown issuer (self-signed stranger)", full, stranger.Cert, refTime, 0, nil, keys.ErrUntrusted, "stranger"},
		{"missing intermediate", rootOnly, valid.Cert, refTime, 0, nil, keys.ErrUntrusted, ""},
		{"empty trust store", &keys.TrustStore{}, valid.Cert, refTime, 0, nil, keys.ErrUntrusted, "empty"},
		{"nil trust store", nil, valid.Cert, refTime, 0, nil, keys.ErrUntrusted, "empty"},
		{"nil certificate", full, nil, refTime, 0, nil, keys.ErrUntrusted, "no certificate"},
		{"pinned leaf", keys.NewTrustStore(stranger.Cert), stranger.Cert, refTime, x509.KeyUsageDigitalSignature, nil, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.trust.VerifyKeyUsage(tt.cert, tt.at, tt.ku, tt.eku...)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not mention %q", err, tt.wantMsg)
			}
		})
	}
}

func TestVerifyIsVerifyKeyUsageWithoutBits(t *testing.T) {
	p := newPKI(t)
	id, err := p.Issue("LV", testpki.WrongUsage)
	if err != nil {
		t.Fatal(err)
	}
	// Verify checks no key usage bits, only dates and chain.
	if err := p.TrustStore().Verify(id.Cert, refTime); err != nil {
		t.Fatalf("Verify: %v", err)
	}
}

func TestExpiredIntermediate(t *testing.T) {
	p := newPKI(t)
	id, err := p.Party("LV")
	if err != nil {
		t.Fatal(err)
	}
	// A leaf that outlives its issuing CA: at a time after the CA expired
	// the leaf itself is in date, so the failure must come from the chain.
	tmpl := *id.Cert
	tmpl.NotAfter = p.Issuer.NotAfter.AddDate(1, 0, 0)
	der, err := x509.CreateCertificate(rand.Reader, &tmpl, p.Issuer, id.Cert.PublicKey, p.IssuerKey)
	if err != nil {
		t.Fatal(err)
	}
	long, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	late := p.Issuer.NotAfter.Add(time.Hour)
	err = p.TrustStore().Verify(long, late)
	if !errors.Is(err, keys.ErrExpired) || !strings.Contains(err.Error(), "chain") {
		t.Fatalf("error = %v, want ErrExpired naming the chain", err)
	}
}

func TestTrustStoreNamesAndCertificates(t *testing.T) {
	p := newPKI(t)
	id, err := p.Party("red_gw")
	if err != nil {
		t.Fatal(err)
	}
	ts := keys.NewTrustStore(p.Root)
	ts.AddNamed("Red_GW", id.Cert)
	if got := ts.Lookup("red_gw"); got != id.Cert {
		t.Errorf("Lookup(red_gw) = %v, want the added certificate", got)
	}
	if got := ts.Lookup("blue_gw"); got != nil {
		t.Errorf("Lookup(blue_gw) = %v, want nil", got)
	}
	if n := len(ts.Certificates()); n != 2 {
		t.Errorf("Certificates() has %d, want 2", n)
	}
	if err := ts.Verify(id.Cert, refTime); err != nil {
		t.Errorf("named (pinned) certificate not trusted: %v", err)
	}
}

// TestRememberedChainsKeepEveryCheck: a chain verified once is remembered
// (the AS4 layer verifies the same partners on every message), but only
// for what was verified: another time, another extended key usage or
// another certificate is checked anew.
func TestRememberedChainsKeepEveryCheck(t *testing.T) {
	p := newPKI(t)
	ts := p.TrustStore()
	now := p.Now
	wrong, err := p.Issue("party-b", testpki.WrongUsage)
	if err != nil {
		t.Fatal(err)
	}
	stranger, err := p.SelfSigned("stranger")
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second round answers from what the first remembered
		if err := ts.Verify(wrong.Cert, now); err != nil {
			t.Fatalf("any usage: %v", err)
		}
		if err := ts.Verify(wrong.Cert, now, x509.ExtKeyUsageClientAuth); !errors.Is(err, keys.ErrKeyUsage) {
			t.Fatalf("client auth of a code-signing certificate: %v, want ErrKeyUsage", err)
		}
		if err := ts.Verify(wrong.Cert, wrong.Cert.NotAfter.Add(time.Hour)); !errors.Is(err, keys.ErrExpired) {
			t.Fatalf("after its NotAfter: %v, want ErrExpired", err)
		}
		if err := ts.Verify(stranger.Cert, now); !errors.Is(err, keys.ErrUntrusted) {
			t.Fatalf("a stranger: %v, want ErrUntrusted", err)
		}
	}
	if err := ts.Verify(wrong.Cert, p.Root.NotBefore.Add(-time.Hour)); err == nil {
		t.Fatal("verified before its CA existed")
	}
}
