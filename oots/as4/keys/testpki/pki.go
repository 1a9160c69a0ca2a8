package testpki

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4/keys"
)

// Kind selects what is right or wrong with an issued party certificate.
type Kind int

// Kinds of party certificate.
const (
	// Valid: usable for AS4 signing and encryption now.
	Valid Kind = iota
	// Expired: validity ended a day before the reference time.
	Expired
	// NotYetValid: validity starts a day after the reference time.
	NotYetValid
	// WrongUsage: valid dates, but key usage dataEncipherment only and
	// extended key usage codeSigning only, so neither signing nor key
	// transport is allowed.
	WrongUsage
	// SignOnly: key usage digitalSignature only.
	SignOnly
	// EncryptOnly: key usage keyEncipherment only.
	EncryptOnly
)

// String names the kind, as used in certificate subjects.
func (k Kind) String() string {
	switch k {
	case Valid:
		return "valid"
	case Expired:
		return "expired"
	case NotYetValid:
		return "not-yet-valid"
	case WrongUsage:
		return "wrong-usage"
	case SignOnly:
		return "sign-only"
	case EncryptOnly:
		return "encrypt-only"
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Names of the two CA certificates.
const (
	RootName   = "Vienreiz Test Root CA"
	IssuerName = "Vienreiz Test Issuing CA"
)

// PKI is a two-level test certificate authority.
type PKI struct {
	// Now is the reference time all validity windows are placed around.
	Now time.Time
	// Root is the self-signed trust anchor; RootKey its key.
	Root    *x509.Certificate
	RootKey *rsa.PrivateKey
	// Issuer is the intermediate CA that signs party certificates.
	Issuer    *x509.Certificate
	IssuerKey *rsa.PrivateKey
}

// New builds the root and issuing CA with validity around now (truncated
// to the second): root from now-1 day for 10 years, issuer from now-1 day
// for 5 years.
func New(now time.Time) (*PKI, error) {
	now = now.UTC().Truncate(time.Second)
	p := &PKI{Now: now}
	var err error
	if p.RootKey, err = Key("ca:root"); err != nil {
		return nil, err
	}
	if p.IssuerKey, err = Key("ca:issuer"); err != nil {
		return nil, err
	}
	root := &x509.Certificate{
		SerialNumber:          serial("ca", RootName),
		Subject:               name(RootName),
		NotBefore:             now.Add(-24 * time.Hour),
		NotAfter:              now.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	if p.Root, err = create(root, root, &p.RootKey.PublicKey, p.RootKey); err != nil {
		return nil, err
	}
	issuer := &x509.Certificate{
		SerialNumber:          serial("ca", IssuerName),
		Subject:               name(IssuerName),
		NotBefore:             now.Add(-24 * time.Hour),
		NotAfter:              now.AddDate(5, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLen:            0,
		MaxPathLenZero:        true,
	}
	if p.Issuer, err = create(issuer, p.Root, &p.IssuerKey.PublicKey, p.RootKey); err != nil {
		return nil, err
	}
	return p, nil
}

// Party issues a valid party certificate for name: key usage
// digitalSignature, nonRepudiation and keyEncipherment, subject CN=name.
func (p *PKI) Party(name string) (keys.Identity, error) {
	return p.Issue(name, Valid)
}

// Issue returns an identity for the party name with a certificate of the
// given kind, signed by the issuing CA. The key is the cached key of name,
// so all kinds issued for one name share a key (as a renewed certificate
// would). Chain holds the issuing CA and the root.
func (p *PKI) Issue(partyName string, kind Kind) (keys.Identity, error) {
	key, err := Key("party:" + partyName)
	if err != nil {
		return keys.Identity{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial(kind.String(), partyName),
		Subject:               name(partyName),
		NotBefore:             p.Now.Add(-time.Hour),
		NotAfter:              p.Now.AddDate(1, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment | x509.KeyUsageKeyEncipherment,
		BasicConstraintsValid: true,
	}
	if kind != Valid {
		tmpl.Subject.OrganizationalUnit = []string{kind.String()}
	}
	switch kind {
	case Valid:
	case Expired:
		tmpl.NotBefore, tmpl.NotAfter = p.Now.AddDate(-1, 0, 0), p.Now.Add(-24*time.Hour)
	case NotYetValid:
		tmpl.NotBefore, tmpl.NotAfter = p.Now.Add(24*time.Hour), p.Now.AddDate(1, 0, 1)
	case WrongUsage:
		tmpl.KeyUsage = x509.KeyUsageDataEncipherment
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageCodeSigning}
	case SignOnly:
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature
	case EncryptOnly:
		tmpl.KeyUsage = x509.KeyUsageKeyEncipherment
	default:
		return keys.Identity{}, fmt.Errorf("testpki: unknown certificate kind %d", int(kind))
	}
	cert, err := create(tmpl, p.Issuer, &key.PublicKey, p.IssuerKey)
	if err != nil {
		return keys.Identity{}, err
	}
	return keys.Identity{Key: key, Cert: cert, Chain: []*x509.Certificate{p.Issuer, p.Root}}, nil
}

// SelfSigned returns an identity whose certificate is self-signed (not
// issued by this PKI), valid around Now with party key usages: the
// "unknown sender" of tests, or a pinned partner certificate.
func (p *PKI) SelfSigned(partyName string) (keys.Identity, error) {
	key, err := Key("self:" + partyName)
	if err != nil {
		return keys.Identity{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial("self", partyName),
		Subject:               name(partyName),
		NotBefore:             p.Now.Add(-time.Hour),
		NotAfter:              p.Now.AddDate(1, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment | x509.KeyUsageKeyEncipherment,
		BasicConstraintsValid: true,
	}
	cert, err := create(tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return keys.Identity{}, err
	}
	return keys.Identity{Key: key, Cert: cert}, nil
}

// TrustStore returns a trust store with the root as trust anchor and the
// issuing CA as intermediate.
func (p *PKI) TrustStore() *keys.TrustStore {
	t := keys.NewTrustStore(p.Root)
	t.AddIntermediate(p.Issuer)
	return t
}

// name builds the subject of test certificates.
func name(cn string) pkix.Name {
	return pkix.Name{CommonName: cn, Organization: []string{"Vienreiz test PKI"}, Country: []string{"LV"}}
}

// serial derives a stable positive serial number from the parts.
func serial(parts ...string) *big.Int {
	h := sha256.New()
	for _, s := range parts {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	sum := h.Sum(nil)
	sum[0] &= 0x7f // 128 bits or fewer, positive
	return new(big.Int).SetBytes(sum[:16])
}

// create signs tmpl with signerKey as issuer and parses the result.
func create(tmpl, issuer *x509.Certificate, pub *rsa.PublicKey, signerKey *rsa.PrivateKey) (*x509.Certificate, error) {
	der, err := x509.CreateCertificate(rand.Reader, tmpl, issuer, pub, signerKey)
	if err != nil {
		return nil, fmt.Errorf("testpki: creating certificate %q: %w", tmpl.Subject.CommonName, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("testpki: parsing certificate %q: %w", tmpl.Subject.CommonName, err)
	}
	return cert, nil
}
