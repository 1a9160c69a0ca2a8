package keys

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pavlo-v-chernykh/keystore-go/v4"
)

// jksMagic is the first four bytes of a Java keystore (JKS) file.
var jksMagic = []byte{0xfe, 0xed, 0xfe, 0xed}

// IsJKS reports whether data starts like a JKS keystore.
func IsJKS(data []byte) bool { return bytes.HasPrefix(data, jksMagic) }

// LoadJKS reads the private key entry alias from a Java keystore. The
// store password checks the store's integrity; keyPassword decrypts the
// key (keytool uses the store password for both unless told otherwise;
// an empty keyPassword means the store password). An empty alias takes
// the store's only private key entry.
func LoadJKS(data []byte, storePassword, alias, keyPassword string) (Identity, error) {
	ks, err := readJKS(data, storePassword)
	if err != nil {
		return Identity{}, err
	}
	alias = strings.ToLower(alias)
	if alias == "" {
		var keyAliases []string
		for _, a := range ks.Aliases() {
			if ks.IsPrivateKeyEntry(a) {
				keyAliases = append(keyAliases, a)
			}
		}
		if len(keyAliases) != 1 {
			return Identity{}, fmt.Errorf("%w: no alias given and the store has %d key entries (%s)", ErrNoAlias, len(keyAliases), strings.Join(keyAliases, ", "))
		}
		alias = keyAliases[0]
	}
	if !ks.IsPrivateKeyEntry(alias) {
		if ks.IsTrustedCertificateEntry(alias) {
			return Identity{}, fmt.Errorf("%w: %q is a trusted certificate", ErrNotKeyEntry, alias)
		}
		return Identity{}, fmt.Errorf("%w: %q (entries: %s)", ErrNoAlias, alias, strings.Join(ks.Aliases(), ", "))
	}
	if keyPassword == "" {
		keyPassword = storePassword
	}
	entry, err := ks.GetPrivateKeyEntry(alias, []byte(keyPassword))
	if err != nil {
		return Identity{}, fmt.Errorf("%w: JKS key %q: %w", ErrPassword, alias, err)
	}
	key, err := x509.ParsePKCS8PrivateKey(entry.PrivateKey)
	if err != nil {
		return Identity{}, fmt.Errorf("%w: JKS key %q: %w", ErrFormat, alias, err)
	}
	certs, err := jksCerts(entry.CertificateChain)
	if err != nil {
		return Identity{}, fmt.Errorf("JKS key %q: %w", alias, err)
	}
	return newIdentity(key, certs)
}

// AddJKS adds every trusted-certificate entry of a Java keystore as a
// trust anchor under its alias and returns how many it added.
func (t *TrustStore) AddJKS(data []byte, storePassword string) (int, error) {
	ks, err := readJKS(data, storePassword)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, alias := range ks.Aliases() {
		if !ks.IsTrustedCertificateEntry(alias) {
			continue
		}
		e, err := ks.GetTrustedCertificateEntry(alias)
		if err != nil {
			return n, fmt.Errorf("%w: JKS entry %q: %w", ErrFormat, alias, err)
		}
		certs, err := jksCerts([]keystore.Certificate{e.Certificate})
		if err != nil {
			return n, fmt.Errorf("JKS entry %q: %w", alias, err)
		}
		t.AddNamed(alias, certs[0])
		n++
	}
	return n, nil
}

// readJKS loads and integrity-checks a JKS store.
func readJKS(data []byte, storePassword string) (keystore.KeyStore, error) {
	if !IsJKS(data) {
		return keystore.KeyStore{}, fmt.Errorf("%w: not a JKS keystore (magic %x)", ErrFormat, data[:min(4, len(data))])
	}
	if err := checkJKSBounds(data); err != nil {
		return keystore.KeyStore{}, err
	}
	ks := keystore.New()
	if err := ks.Load(bytes.NewReader(data), []byte(storePassword)); err != nil {
		if strings.Contains(err.Error(), "invalid digest") {
			return keystore.KeyStore{}, fmt.Errorf("%w: JKS integrity check failed", ErrPassword)
		}
		return keystore.KeyStore{}, fmt.Errorf("%w: JKS: %w", ErrFormat, err)
	}
	return ks, nil
}

// jksCerts parses X.509 certificates of a JKS entry.
func jksCerts(in []keystore.Certificate) ([]*x509.Certificate, error) {
	if len(in) == 0 {
		return nil, fmt.Errorf("%w: entry has no certificate", ErrFormat)
	}
	out := make([]*x509.Certificate, 0, len(in))
	for i, c := range in {
		if c.Type != "X.509" {
			return nil, fmt.Errorf("%w: certificate %d has type %q, want X.509", ErrFormat, i, c.Type)
		}
		cert, err := x509.ParseCertificate(c.Content)
		if err != nil {
			return nil, fmt.Errorf("%w: certificate %d: %w", ErrFormat, i, err)
		}
		out = append(out, cert)
	}
	return out, nil
}

// WriteJKS writes a Java keystore holding the identity under keyAlias
// (key encrypted with keyPassword, or storePassword when empty) and the
// trusted certificates under their map keys, sealed with storePassword.
// Pass a zero Identity to write a pure truststore.
func WriteJKS(w io.Writer, storePassword, keyAlias string, id Identity, keyPassword string, trusted map[string]*x509.Certificate) error {
	ks := keystore.New()
	now := time.Now()
	if id.Key != nil {
		der, err := x509.MarshalPKCS8PrivateKey(id.Key)
		if err != nil {
			return fmt.Errorf("keys: write JKS key %q: %w", keyAlias, err)
		}
		chain := []keystore.Certificate{{Type: "X.509", Content: id.Cert.Raw}}
		for _, c := range id.Chain {
			chain = append(chain, keystore.Certificate{Type: "X.509", Content: c.Raw})
		}
		if keyPassword == "" {
			keyPassword = storePassword
		}
		entry := keystore.PrivateKeyEntry{CreationTime: now, PrivateKey: der, CertificateChain: chain}
		if err := ks.SetPrivateKeyEntry(keyAlias, entry, []byte(keyPassword)); err != nil {
			return fmt.Errorf("keys: write JKS key %q: %w", keyAlias, err)
		}
	}
	for alias, c := range trusted {
		entry := keystore.TrustedCertificateEntry{CreationTime: now, Certificate: keystore.Certificate{Type: "X.509", Content: c.Raw}}
		if err := ks.SetTrustedCertificateEntry(alias, entry); err != nil {
			return fmt.Errorf("keys: write JKS certificate %q: %w", alias, err)
		}
	}
	if err := ks.Store(w, []byte(storePassword)); err != nil {
		return fmt.Errorf("keys: write JKS: %w", err)
	}
	return nil
}
