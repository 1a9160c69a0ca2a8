package keys

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
)

// AddPEM adds every CERTIFICATE block of data as a trust anchor and
// returns how many it added; data without any certificate is an error.
func (t *TrustStore) AddPEM(data []byte) (int, error) {
	n := 0
	for rest := data; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return n, fmt.Errorf("%w: PEM certificate %d: %w", ErrFormat, n+1, err)
		}
		t.Add(c)
		n++
	}
	if n == 0 {
		return 0, fmt.Errorf("%w: no PEM CERTIFICATE block", ErrFormat)
	}
	return n, nil
}

// LoadPEMFiles returns a trust store with the certificates of the PEM
// files as trust anchors.
func LoadPEMFiles(paths ...string) (*TrustStore, error) {
	t := NewTrustStore()
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("keys: trust file: %w", err)
		}
		if _, err := t.AddPEM(data); err != nil {
			return nil, fmt.Errorf("keys: trust file %s: %w", p, err)
		}
	}
	return t, nil
}

// ParseCertificate reads one certificate from PEM or DER data.
func ParseCertificate(data []byte) (*x509.Certificate, error) {
	if b, _ := pem.Decode(data); b != nil {
		if b.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("%w: PEM block %q, want CERTIFICATE", ErrFormat, b.Type)
		}
		data = b.Bytes
	}
	c, err := x509.ParseCertificate(data)
	if err != nil {
		return nil, fmt.Errorf("%w: certificate: %w", ErrFormat, err)
	}
	return c, nil
}

// EncodePEM returns the certificates as PEM CERTIFICATE blocks.
func EncodePEM(certs ...*x509.Certificate) []byte {
	var out []byte
	for _, c := range certs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out
}
