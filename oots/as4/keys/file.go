package keys

import (
	"crypto/x509"
	"fmt"
	"io"
	"os"
)

// MaxStoreSize bounds the keystore and truststore files read here.
const MaxStoreSize = 16 << 20

// readStore reads a store file of at most MaxStoreSize bytes.
func readStore(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxStoreSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxStoreSize {
		return nil, fmt.Errorf("%w: %s is larger than %d bytes", ErrFormat, path, MaxStoreSize)
	}
	return data, nil
}

// LoadIdentityFile reads the key entry alias from a keystore file, JKS or
// PKCS#12 (told apart by content, not by name). keyPassword may be empty
// when it equals storePassword.
func LoadIdentityFile(path, storePassword, alias, keyPassword string) (Identity, error) {
	data, err := readStore(path)
	if err != nil {
		return Identity{}, fmt.Errorf("keys: keystore: %w", err)
	}
	var id Identity
	if IsJKS(data) {
		id, err = LoadJKS(data, storePassword, alias, keyPassword)
	} else {
		id, err = LoadPKCS12(data, alias, storePassword)
	}
	if err != nil {
		return Identity{}, fmt.Errorf("keystore %s: %w", path, err)
	}
	return id, nil
}

// AddFile adds the trust anchors of a truststore file: PEM certificates,
// one DER certificate, a JKS truststore or a PKCS#12 truststore (told
// apart by content); the password is ignored for PEM and DER. It returns
// how many certificates it added.
func (t *TrustStore) AddFile(path, password string) (int, error) {
	data, err := readStore(path)
	if err != nil {
		return 0, fmt.Errorf("keys: truststore: %w", err)
	}
	var n int
	switch {
	case IsJKS(data):
		n, err = t.AddJKS(data, password)
	case len(data) > 0 && data[0] == 0x30: // DER SEQUENCE: PKCS#12 or a certificate
		if c, cerr := x509.ParseCertificate(data); cerr == nil {
			t.Add(c)
			return 1, nil
		}
		n, err = t.AddPKCS12(data, password)
	default:
		n, err = t.AddPEM(data)
	}
	if err != nil {
		return n, fmt.Errorf("truststore %s: %w", path, err)
	}
	return n, nil
}
