package keys_test

import (
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/vienreiz/vienreiz/oots/as4/keys"
)

func TestPKCS12RoundTrip(t *testing.T) {
	p := newPKI(t)
	id, err := p.Party("LV")
	if err != nil {
		t.Fatal(err)
	}
	data, err := keys.EncodePKCS12(id, "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	for _, alias := range []string{"", "anything"} { // unnamed store: alias is not checkable
		got, err := keys.LoadPKCS12(data, alias, "s3cret")
		if err != nil {
			t.Fatalf("alias %q: %v", alias, err)
		}
		if !got.Cert.Equal(id.Cert) {
			t.Errorf("alias %q: certificate differs", alias)
		}
		if len(got.Chain) != 2 || !got.Chain[0].Equal(p.Issuer) || !got.Chain[1].Equal(p.Root) {
			t.Errorf("alias %q: chain not issuer, root: %d certificates", alias, len(got.Chain))
		}
		if _, err := got.Decrypter(); err != nil {
			t.Errorf("alias %q: %v", alias, err)
		}
	}
}

func TestPKCS12Errors(t *testing.T) {
	p := newPKI(t)
	id, err := p.Party("LV")
	if err != nil {
		t.Fatal(err)
	}
	data, err := keys.EncodePKCS12(id, "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
		pass string
		want error
	}{
		{"wrong password", data, "guess", keys.ErrPassword},
		{"not PKCS#12", []byte("hello"), "s3cret", keys.ErrFormat},
		{"truncated", data[:len(data)/2], "s3cret", keys.ErrFormat},
		{"empty", nil, "s3cret", keys.ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := keys.LoadPKCS12(tt.data, "", tt.pass)
			if !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestPKCS12TrustStore(t *testing.T) {
	p := newPKI(t)
	data, err := keys.EncodePKCS12Trust([]*x509.Certificate{p.Root, p.Issuer}, "changeit")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "trust.p12")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	ts := keys.NewTrustStore()
	n, err := ts.AddFile(path, "changeit")
	if err != nil || n != 2 {
		t.Fatalf("AddFile = %d, %v; want 2, nil", n, err)
	}
	id, err := p.Party("LV")
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.Verify(id.Cert, refTime); err != nil {
		t.Errorf("party not trusted through PKCS#12 truststore: %v", err)
	}
	der := filepath.Join(t.TempDir(), "root.cer")
	if err := os.WriteFile(der, p.Root.Raw, 0o600); err != nil {
		t.Fatal(err)
	}
	if n, err := keys.NewTrustStore().AddFile(der, ""); err != nil || n != 1 {
		t.Errorf("DER certificate file: %d, %v", n, err)
	}
	if _, err := keys.NewTrustStore().AddPKCS12(data, "wrong"); !errors.Is(err, keys.ErrPassword) {
		t.Errorf("wrong password: %v, want ErrPassword", err)
	}
	// A key store is not a trust store.
	ks, err := keys.EncodePKCS12(id, "changeit")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keys.NewTrustStore().AddPKCS12(ks, "changeit"); !errors.Is(err, keys.ErrFormat) {
		t.Errorf("key store as trust store: %v, want ErrFormat", err)
	}
}
