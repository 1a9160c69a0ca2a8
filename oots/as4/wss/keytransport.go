package wss

import (
	"crypto"
	"crypto/x509"
	"fmt"
	"math/big"
	"strings"

	"github.com/beevik/etree"
)

// dataKeySize returns the AES key length of an allowed data encryption
// algorithm; only AES-GCM is allowed (CBC is malleable and refused).
func dataKeySize(uri string) (int, error) {
	switch uri {
	case AlgAES128GCM:
		return 16, nil
	case AlgAES256GCM:
		return 32, nil
	}
	return 0, policyErr("data encryption algorithm %q is not allowed (want %s)", uri, AlgAES128GCM)
}

// mgfHash maps an xmlenc11 MGF URI to its hash; MGF1 with SHA-1 is refused.
func mgfHash(uri string) (crypto.Hash, error) {
	switch uri {
	case AlgMGF1SHA256:
		return crypto.SHA256, nil
	case "http://www.w3.org/2009/xmlenc11#mgf1sha384":
		return crypto.SHA384, nil
	case "http://www.w3.org/2009/xmlenc11#mgf1sha512":
		return crypto.SHA512, nil
	}
	return 0, policyErr("key transport MGF %q is not allowed (want %s)", uri, AlgMGF1SHA256)
}

// oaepParams are the parsed RSA-OAEP parameters of an xenc:EncryptedKey.
type oaepParams struct{ hash, mgf crypto.Hash }

// keyTransport reads and checks an xenc:EncryptionMethod for key
// transport: xmlenc11 rsa-oaep with SHA-256 (or longer) digest and MGF1.
// The xmlenc defaults (SHA-1 digest, MGF1-SHA-1) are refused, so the
// DigestMethod and MGF must be present.
func keyTransport(em *etree.Element) (oaepParams, error) {
	var p oaepParams
	alg, _ := attr(em, "", "Algorithm")
	if alg != AlgRSAOAEP {
		return p, policyErr("key transport algorithm %q is not allowed (want %s)", alg, AlgRSAOAEP)
	}
	dm, err := child(em, NSDsig, "DigestMethod")
	if err != nil {
		return p, policyErr("key transport: %v (the SHA-1 default is not allowed)", err)
	}
	d, _ := attr(dm, "", "Algorithm")
	if p.hash, err = digestHash(d); err != nil {
		return p, fmt.Errorf("key transport digest: %w", err)
	}
	mgf, err := child(em, NSXenc11, "MGF")
	if err != nil {
		return p, policyErr("key transport: %v (the MGF1-SHA-1 default is not allowed)", err)
	}
	m, _ := attr(mgf, "", "Algorithm")
	if p.mgf, err = mgfHash(m); err != nil {
		return p, err
	}
	return p, nil
}

// recipientMatches reports whether the KeyInfo of an EncryptedKey names
// cert in one of the three forms WSS4J-based access points write: an
// X509IssuerSerial (issuer compared by its RDN sequence), a subject key
// identifier, or a wsse:Reference to a BinarySecurityToken in sec that
// carries cert.
func recipientMatches(ki, sec *etree.Element, cert *x509.Certificate) bool {
	for _, is := range descendants(ki, NSDsig, "X509IssuerSerial") {
		name, err1 := child(is, NSDsig, "X509IssuerName")
		serial, err2 := child(is, NSDsig, "X509SerialNumber")
		if err1 != nil || err2 != nil {
			continue
		}
		n, ok := new(big.Int).SetString(strings.TrimSpace(serial.Text()), 10)
		if ok && n.Cmp(cert.SerialNumber) == 0 && sameIssuer(name.Text(), cert) {
			return true
		}
	}
	for _, kid := range descendants(ki, NSWsse, "KeyIdentifier") {
		if vt, _ := attr(kid, "", "ValueType"); vt != ValueTypeSKI {
			continue
		}
		ski, err := decodeBase64(kid.Text())
		if err == nil && len(cert.SubjectKeyId) > 0 && string(ski) == string(cert.SubjectKeyId) {
			return true
		}
	}
	if sec != nil && len(descendants(ki, NSWsse, "Reference")) > 0 {
		if str, err := child(ki, NSWsse, "SecurityTokenReference"); err == nil {
			if bst, err := tokenCert(sec, str); err == nil && bst.Equal(cert) {
				return true
			}
		}
	}
	return false
}
