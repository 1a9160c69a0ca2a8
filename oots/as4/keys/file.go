package keys

import (
	"fmt"
	"os"
)

// LoadIdentityFile reads the key entry alias from a keystore file, JKS or
// PKCS#12 (told apart by content, not by name). keyPassword may be empty
// when it equals storePassword.
func LoadIdentityFile(path, storePassword, alias, keyPassword string) (Identity, error) {
	data, err := os.ReadFile(path)
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
// a JKS truststore or a PKCS#12 truststore (told apart by content); the
// password is ignored for PEM. It returns how many certificates it added.
func (t *TrustStore) AddFile(path, password string) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("keys: truststore: %w", err)
	}
	var n int
	switch {
	case IsJKS(data):
		n, err = t.AddJKS(data, password)
	case len(data) > 0 && data[0] == 0x30: // DER SEQUENCE: PKCS#12
		n, err = t.AddPKCS12(data, password)
	default:
		n, err = t.AddPEM(data)
	}
	if err != nil {
		return n, fmt.Errorf("truststore %s: %w", path, err)
	}
	return n, nil
}
