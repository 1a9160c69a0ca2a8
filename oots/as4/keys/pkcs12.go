package keys

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"

	"software.sslmate.com/src/go-pkcs12"
)

// LoadPKCS12 reads an Identity from a PKCS#12 (.p12, .pfx) keystore. When
// alias is not empty and the store names its entries (friendlyName, as
// keytool and OpenSSL write them), the key entry with that alias (compared
// case-insensitively, as keytool does) is taken; otherwise the store must
// hold exactly one private key.
func LoadPKCS12(data []byte, alias, password string) (Identity, error) {
	if alias != "" {
		id, err, named := loadPKCS12Alias(data, alias, password)
		if named {
			return id, err
		}
	}
	key, cert, chain, err := pkcs12.DecodeChain(data, password)
	if err != nil {
		return Identity{}, pkcs12Err(err)
	}
	return newIdentity(key, append([]*x509.Certificate{cert}, chain...))
}

// loadPKCS12Alias picks the key entry named alias. named is false when the
// store cannot be listed by name (no friendly names, or bags ToPEM does not
// understand such as Java trusted-certificate attributes), so the caller
// falls back to the single-key decoder.
func loadPKCS12Alias(data []byte, alias, password string) (id Identity, err error, named bool) {
	blocks, err := pkcs12.ToPEM(data, password)
	if err != nil {
		if errors.Is(err, pkcs12.ErrIncorrectPassword) || errors.Is(err, pkcs12.ErrDecryption) {
			return Identity{}, pkcs12Err(err), true
		}
		return Identity{}, nil, false
	}
	var (
		keyBlock *pem.Block
		aliases  []string
		certs    []*x509.Certificate
		leafID   string
	)
	for _, b := range blocks {
		if b.Type == "PRIVATE KEY" {
			name := b.Headers["friendlyName"]
			aliases = append(aliases, name)
			if strings.EqualFold(name, alias) {
				keyBlock, leafID = b, b.Headers["localKeyId"]
			}
		}
	}
	if len(aliases) == 0 {
		return Identity{}, fmt.Errorf("%w: PKCS#12 store has no private key", ErrNotKeyEntry), true
	}
	if keyBlock == nil {
		if len(aliases) == 1 && aliases[0] == "" {
			return Identity{}, nil, false // unnamed single key
		}
		return Identity{}, fmt.Errorf("%w: %q (key entries: %s)", ErrNoAlias, alias, strings.Join(aliases, ", ")), true
	}
	var leaf *x509.Certificate
	for _, b := range blocks {
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return Identity{}, fmt.Errorf("%w: certificate: %w", ErrFormat, err), true
		}
		if leafID != "" && b.Headers["localKeyId"] == leafID {
			leaf = c
		}
		certs = append(certs, c)
	}
	key, err := parsePEMKey(keyBlock.Bytes)
	if err != nil {
		return Identity{}, err, true
	}
	if leaf != nil {
		// Put the certificate tied to the key first so it wins.
		certs = append([]*x509.Certificate{leaf}, certs...)
	}
	id, err = newIdentity(key, certs)
	return id, err, true
}

// parsePEMKey decodes the key of a ToPEM block: PKCS#1 RSA, SEC 1 EC or
// PKCS#8.
func parsePEMKey(der []byte) (any, error) {
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k, nil
	}
	if k, err := x509.ParseECPrivateKey(der); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("%w: private key: %w", ErrFormat, err)
	}
	return k, nil
}

// pkcs12Err maps go-pkcs12 errors to ours.
func pkcs12Err(err error) error {
	if errors.Is(err, pkcs12.ErrIncorrectPassword) || errors.Is(err, pkcs12.ErrDecryption) {
		return fmt.Errorf("%w: PKCS#12: %w", ErrPassword, err)
	}
	return fmt.Errorf("%w: PKCS#12: %w", ErrFormat, err)
}

// EncodePKCS12 writes id as a PKCS#12 keystore protected by password, with
// modern algorithms (PBES2 AES-256, HMAC-SHA-256) that keytool and
// OpenSSL 3 read.
func EncodePKCS12(id Identity, password string) ([]byte, error) {
	if id.Key == nil || id.Cert == nil {
		return nil, fmt.Errorf("keys: encode PKCS#12: identity has no key or certificate")
	}
	data, err := pkcs12.Modern2023.Encode(id.Key, id.Cert, id.Chain, password)
	if err != nil {
		return nil, fmt.Errorf("keys: encode PKCS#12: %w", err)
	}
	return data, nil
}

// EncodePKCS12Trust writes certs as a PKCS#12 truststore (each marked as
// a Java trust anchor) protected by password.
func EncodePKCS12Trust(certs []*x509.Certificate, password string) ([]byte, error) {
	data, err := pkcs12.Modern2023.EncodeTrustStore(certs, password)
	if err != nil {
		return nil, fmt.Errorf("keys: encode PKCS#12 truststore: %w", err)
	}
	return data, nil
}

// DecodePKCS12Trust returns the trusted certificates of a PKCS#12
// truststore opened with password.
func DecodePKCS12Trust(data []byte, password string) ([]*x509.Certificate, error) {
	certs, err := pkcs12.DecodeTrustStore(data, password)
	if err != nil {
		return nil, pkcs12Err(err)
	}
	return certs, nil
}

// AddPKCS12 adds the trusted-certificate entries of a PKCS#12 truststore
// (as keytool -importcert writes them) as trust anchors and returns how
// many it added.
func (t *TrustStore) AddPKCS12(data []byte, password string) (int, error) {
	certs, err := DecodePKCS12Trust(data, password)
	if err != nil {
		return 0, err
	}
	for _, c := range certs {
		t.Add(c)
	}
	return len(certs), nil
}
