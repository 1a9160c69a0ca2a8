package keys_test

import (
	"bytes"
	"crypto/x509"
	"testing"

	"github.com/vienreiz/vienreiz/oots/as4/keys"
)

// FuzzLoadJKS feeds arbitrary bytes to the JKS loader and truststore
// reader: they must fail cleanly, never panic or allocate what length
// fields claim.
func FuzzLoadJKS(f *testing.F) {
	p := newPKI(f)
	id, err := p.Party("LV")
	if err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	if err := keys.WriteJKS(&buf, "pw", "lv", id, "", map[string]*x509.Certificate{"root": p.Root}); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte{0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0, 0, 0, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		if id, err := keys.LoadJKS(data, "pw", "lv", ""); err == nil && id.Cert == nil {
			t.Fatal("identity without certificate")
		}
		_, _ = keys.NewTrustStore().AddJKS(data, "pw")
	})
}

// FuzzLoadPKCS12 feeds arbitrary bytes to the PKCS#12 loaders.
func FuzzLoadPKCS12(f *testing.F) {
	p := newPKI(f)
	id, err := p.Party("LV")
	if err != nil {
		f.Fatal(err)
	}
	data, err := keys.EncodePKCS12(id, "pw")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	trust, err := keys.EncodePKCS12Trust([]*x509.Certificate{p.Root}, "pw")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(trust)
	f.Fuzz(func(t *testing.T, data []byte) {
		if id, err := keys.LoadPKCS12(data, "lv", "pw"); err == nil && (id.Cert == nil || id.Key == nil) {
			t.Fatal("identity without key or certificate")
		}
		_, _ = keys.NewTrustStore().AddPKCS12(data, "pw")
	})
}
