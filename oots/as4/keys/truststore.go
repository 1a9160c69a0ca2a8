package keys

import (
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Errors wrapped by TrustStore.Verify, one per check, so callers can tell
// which check failed.
var (
	// ErrUntrusted: no chain from the certificate to a trusted root.
	ErrUntrusted = errors.New("keys: certificate does not chain to a trusted certificate")
	// ErrNotYetValid: the certificate's NotBefore lies after the time checked.
	ErrNotYetValid = errors.New("keys: certificate is not yet valid")
	// ErrExpired: the certificate's NotAfter lies before the time checked.
	ErrExpired = errors.New("keys: certificate has expired")
	// ErrKeyUsage: the certificate's key usage does not allow the operation.
	ErrKeyUsage = errors.New("keys: certificate key usage does not allow this use")
)

// TrustStore holds trusted root certificates (trust anchors) and
// intermediate certificates used to build chains. The zero value trusts
// nothing; use NewTrustStore and Add. Fill a store before sharing it:
// Verify and Lookup are safe for concurrent use, Add is not.
type TrustStore struct {
	roots         *x509.CertPool
	intermediates *x509.CertPool
	certs         []*x509.Certificate
	named         map[string]*x509.Certificate
	// verified remembers chains already built: chainKey → chainWindow.
	// Building a chain cost 5% of an AS4 message's CPU, done three times
	// per message for the same two certificates (issue 16 item 2).
	verified sync.Map
}

// chainKey names one successful Verify: the certificate and the extended
// key usages asked for.
type chainKey struct {
	cert  [sha256.Size]byte
	usage uint64 // bit u: extended key usage u asked for
}

// chainWindow is when every certificate of a verified chain is valid.
type chainWindow struct{ from, until time.Time }

// NewTrustStore returns a trust store holding certs as trust anchors.
func NewTrustStore(certs ...*x509.Certificate) *TrustStore {
	t := &TrustStore{roots: x509.NewCertPool(), intermediates: x509.NewCertPool()}
	for _, c := range certs {
		t.Add(c)
	}
	return t
}

// Add makes cert a trust anchor. A partner's self-signed or CA-issued
// leaf certificate may be added directly (certificate pinning as Domibus
// truststores do).
func (t *TrustStore) Add(cert *x509.Certificate) {
	if t.roots == nil {
		t.roots, t.intermediates = x509.NewCertPool(), x509.NewCertPool()
	}
	t.roots.AddCert(cert)
	t.certs = append(t.certs, cert)
}

// AddNamed adds cert as a trust anchor and records it under alias (as a
// JKS entry or a Domibus truststore names a partner's certificate), so
// Lookup can find it. Aliases compare case-insensitively.
func (t *TrustStore) AddNamed(alias string, cert *x509.Certificate) {
	t.Add(cert)
	if t.named == nil {
		t.named = make(map[string]*x509.Certificate)
	}
	t.named[strings.ToLower(alias)] = cert
}

// Lookup returns the certificate recorded under alias, or nil.
func (t *TrustStore) Lookup(alias string) *x509.Certificate {
	if t == nil {
		return nil
	}
	return t.named[strings.ToLower(alias)]
}

// AddIntermediate adds cert as an untrusted intermediate for building chains.
func (t *TrustStore) AddIntermediate(cert *x509.Certificate) {
	if t.roots == nil {
		t.roots, t.intermediates = x509.NewCertPool(), x509.NewCertPool()
	}
	t.intermediates.AddCert(cert)
}

// Certificates returns the trust anchors in the order they were added.
func (t *TrustStore) Certificates() []*x509.Certificate {
	return append([]*x509.Certificate(nil), t.certs...)
}

// Verify checks cert at time at: its validity dates (ErrNotYetValid,
// ErrExpired), a chain to a trust anchor (ErrUntrusted) and, when usage is
// given, that the chain allows those extended key usages (ErrKeyUsage).
// Use VerifyKeyUsage to also demand key usage bits such as
// digitalSignature or keyEncipherment.
func (t *TrustStore) Verify(cert *x509.Certificate, at time.Time, usage ...x509.ExtKeyUsage) error {
	return t.VerifyKeyUsage(cert, at, 0, usage...)
}

// VerifyKeyUsage is Verify that also requires every bit of ku (for example
// x509.KeyUsageDigitalSignature for a signer, x509.KeyUsageKeyEncipherment
// for an encryption recipient) in the certificate's key usage.
func (t *TrustStore) VerifyKeyUsage(cert *x509.Certificate, at time.Time, ku x509.KeyUsage, usage ...x509.ExtKeyUsage) error {
	if cert == nil {
		return fmt.Errorf("%w: no certificate", ErrUntrusted)
	}
	// The subject's name is spelled out only for an error: on the hot
	// path of every AS4 message it was 0.8 % of a sender's CPU time.
	subject := func() string { return cert.Subject.String() }
	if at.Before(cert.NotBefore) {
		return fmt.Errorf("%w: %q valid from %s, checked at %s", ErrNotYetValid, subject(), cert.NotBefore.UTC().Format(time.RFC3339), at.UTC().Format(time.RFC3339))
	}
	if at.After(cert.NotAfter) {
		return fmt.Errorf("%w: %q valid until %s, checked at %s", ErrExpired, subject(), cert.NotAfter.UTC().Format(time.RFC3339), at.UTC().Format(time.RFC3339))
	}
	if ku != 0 && cert.KeyUsage&ku != ku {
		return fmt.Errorf("%w: %q has key usage %s, needs %s", ErrKeyUsage, subject(), keyUsageNames(cert.KeyUsage), keyUsageNames(ku))
	}
	if t == nil || t.roots == nil {
		return fmt.Errorf("%w: %q: trust store is empty", ErrUntrusted, subject())
	}
	key, cacheable := chainKey{cert: sha256.Sum256(cert.Raw)}, true
	for _, u := range usage {
		cacheable = cacheable && u >= 0 && u < 64
		key.usage |= 1 << (uint(u) % 64)
	}
	if w, ok := t.verified.Load(key); ok && cacheable {
		if w := w.(chainWindow); !at.Before(w.from) && !at.After(w.until) {
			return nil
		}
	}
	opts := x509.VerifyOptions{
		Roots:         t.roots,
		Intermediates: t.intermediates,
		CurrentTime:   at,
		KeyUsages:     usage,
	}
	if len(usage) == 0 {
		opts.KeyUsages = []x509.ExtKeyUsage{x509.ExtKeyUsageAny}
	}
	chains, err := cert.Verify(opts)
	if err != nil {
		var inv x509.CertificateInvalidError
		if errors.As(err, &inv) {
			switch inv.Reason {
			case x509.IncompatibleUsage:
				return fmt.Errorf("%w: %q: extended key usage: %w", ErrKeyUsage, subject(), err)
			case x509.Expired:
				// The leaf was checked above, so a CA in the chain is out of date.
				return fmt.Errorf("%w: %q: a certificate in its chain: %w", ErrExpired, subject(), err)
			}
		}
		return fmt.Errorf("%w: %q: %w", ErrUntrusted, subject(), err)
	}
	w := chainWindow{from: cert.NotBefore, until: cert.NotAfter}
	for _, c := range chains[0] {
		if c.NotBefore.After(w.from) {
			w.from = c.NotBefore
		}
		if c.NotAfter.Before(w.until) {
			w.until = c.NotAfter
		}
	}
	if cacheable {
		t.verified.Store(key, w)
	}
	return nil
}

// keyUsageNames spells out the key usage bits for error messages.
func keyUsageNames(ku x509.KeyUsage) string {
	names := []struct {
		bit  x509.KeyUsage
		name string
	}{
		{x509.KeyUsageDigitalSignature, "digitalSignature"},
		{x509.KeyUsageContentCommitment, "nonRepudiation"},
		{x509.KeyUsageKeyEncipherment, "keyEncipherment"},
		{x509.KeyUsageDataEncipherment, "dataEncipherment"},
		{x509.KeyUsageKeyAgreement, "keyAgreement"},
		{x509.KeyUsageCertSign, "keyCertSign"},
		{x509.KeyUsageCRLSign, "cRLSign"},
		{x509.KeyUsageEncipherOnly, "encipherOnly"},
		{x509.KeyUsageDecipherOnly, "decipherOnly"},
	}
	var out []string
	for _, n := range names {
		if ku&n.bit != 0 {
			out = append(out, n.name)
		}
	}
	if len(out) == 0 {
		return "(none)"
	}
	return strings.Join(out, ",")
}
