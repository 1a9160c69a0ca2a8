package wss

import (
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"

	"github.com/beevik/etree"
)

// security is the parsed wsse:Security header: the signature, the token it
// points at, and the encryption elements.
type security struct {
	el        *etree.Element
	signature *signature                // nil when the header has no ds:Signature
	encKeys   []*etree.Element          // xenc:EncryptedKey children
	encData   map[string]*etree.Element // xenc:EncryptedData children by Id
}

// signature is a parsed ds:Signature.
type signature struct {
	// timestamp is the header's wsu:Timestamp, which a WSS4J sender may
	// sign too; nil when there is none.
	timestamp  *etree.Element
	el         *etree.Element
	signedInfo *etree.Element
	c14nPrefix string // InclusiveNamespaces PrefixList of SignedInfo's c14n
	method     string
	refs       []reference
	value      []byte
	cert       *x509.Certificate
}

// reference is a parsed ds:Reference.
type reference struct {
	el         *etree.Element
	uri        string
	transforms []transform
	digestAlg  string
	digest     []byte
}

// transform is one ds:Transform with its exclusive-c14n prefix list.
type transform struct {
	alg        string
	prefixList string
}

// parseSecurity reads the single wsse:Security header of e. Structure
// errors are policy failures; a missing signature is reported by the
// caller that needs one.
func parseSecurity(e envelope) (*security, error) {
	secs := children(e.header, NSWsse, "Security")
	if len(secs) != 1 {
		return nil, policyErr("header holds %d wsse:Security elements, want one", len(secs))
	}
	s := &security{el: secs[0], encData: map[string]*etree.Element{}}
	if role, ok := attr(s.el, NSSoap12, "role"); ok && role != "" && role != "http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver" {
		return nil, policyErr("wsse:Security targets role %q, not this receiver", role)
	}
	sigs := children(s.el, NSDsig, "Signature")
	if len(sigs) > 1 {
		return nil, policyErr("wsse:Security holds %d ds:Signature elements, want one", len(sigs))
	}
	if n := len(descendants(e.root, NSDsig, "Signature")); n != len(sigs) {
		return nil, policyErr("envelope holds a ds:Signature outside wsse:Security")
	}
	s.encKeys = children(s.el, NSXenc, "EncryptedKey")
	for _, ed := range children(s.el, NSXenc, "EncryptedData") {
		id, _ := attr(ed, "", "Id")
		if id == "" {
			return nil, policyErr("xenc:EncryptedData without Id")
		}
		if s.encData[id] != nil {
			return nil, policyErr("xenc:EncryptedData Id %q is repeated", id)
		}
		s.encData[id] = ed
	}
	stamps := children(s.el, NSWsu, "Timestamp")
	if len(stamps) > 1 {
		return nil, policyErr("wsse:Security holds %d wsu:Timestamp elements, want at most one", len(stamps))
	}
	if len(sigs) == 1 {
		sig, err := parseSignature(s.el, sigs[0])
		if err != nil {
			return nil, err
		}
		if len(stamps) == 1 {
			sig.timestamp = stamps[0]
		}
		s.signature = sig
	}
	return s, nil
}

// parseSignature reads one ds:Signature and the X.509 token its KeyInfo
// references inside sec.
func parseSignature(sec, el *etree.Element) (*signature, error) {
	sig := &signature{el: el}
	var err error
	if sig.signedInfo, err = child(el, NSDsig, "SignedInfo"); err != nil {
		return nil, policyErr("ds:Signature: %v", err)
	}
	cm, err := child(sig.signedInfo, NSDsig, "CanonicalizationMethod")
	if err != nil {
		return nil, policyErr("ds:SignedInfo: %v", err)
	}
	if alg, _ := attr(cm, "", "Algorithm"); alg != AlgExcC14N {
		return nil, policyErr("canonicalization method %q is not allowed (want %s)", alg, AlgExcC14N)
	}
	sig.c14nPrefix = prefixList(cm)
	sm, err := child(sig.signedInfo, NSDsig, "SignatureMethod")
	if err != nil {
		return nil, policyErr("ds:SignedInfo: %v", err)
	}
	sig.method, _ = attr(sm, "", "Algorithm")
	if _, err := signatureHash(sig.method); err != nil {
		return nil, err
	}
	for _, r := range children(sig.signedInfo, NSDsig, "Reference") {
		ref, err := parseReference(r)
		if err != nil {
			return nil, err
		}
		sig.refs = append(sig.refs, ref)
	}
	if len(sig.refs) == 0 {
		return nil, policyErr("ds:SignedInfo has no ds:Reference")
	}
	sv, err := child(el, NSDsig, "SignatureValue")
	if err != nil {
		return nil, policyErr("ds:Signature: %v", err)
	}
	if sig.value, err = decodeBase64(sv.Text()); err != nil {
		return nil, authErr("ds:SignatureValue: %v", err)
	}
	if sig.cert, err = signingToken(sec, el); err != nil {
		return nil, err
	}
	return sig, nil
}

// parseReference reads a ds:Reference.
func parseReference(r *etree.Element) (reference, error) {
	ref := reference{el: r}
	var ok bool
	if ref.uri, ok = attr(r, "", "URI"); !ok || ref.uri == "" {
		return ref, policyErr("ds:Reference without URI")
	}
	if ts, err := child(r, NSDsig, "Transforms"); err == nil {
		for _, t := range children(ts, NSDsig, "Transform") {
			alg, _ := attr(t, "", "Algorithm")
			ref.transforms = append(ref.transforms, transform{alg: alg, prefixList: prefixList(t)})
		}
	}
	dm, err := child(r, NSDsig, "DigestMethod")
	if err != nil {
		return ref, policyErr("ds:Reference %q: %v", ref.uri, err)
	}
	ref.digestAlg, _ = attr(dm, "", "Algorithm")
	if _, err := digestHash(ref.digestAlg); err != nil {
		return ref, fmt.Errorf("ds:Reference %q: %w", ref.uri, err)
	}
	dv, err := child(r, NSDsig, "DigestValue")
	if err != nil {
		return ref, policyErr("ds:Reference %q: %v", ref.uri, err)
	}
	if ref.digest, err = decodeBase64(dv.Text()); err != nil {
		return ref, authErr("ds:Reference %q DigestValue: %v", ref.uri, err)
	}
	return ref, nil
}

// prefixList returns the PrefixList of an ec:InclusiveNamespaces child.
func prefixList(el *etree.Element) string {
	if in := children(el, NSExcC14N, "InclusiveNamespaces"); len(in) == 1 {
		v, _ := attr(in[0], "", "PrefixList")
		return v
	}
	return ""
}

// signingToken follows the signature's KeyInfo/SecurityTokenReference to
// the wsse:BinarySecurityToken in sec and parses its certificate.
func signingToken(sec, sig *etree.Element) (*x509.Certificate, error) {
	ki, err := child(sig, NSDsig, "KeyInfo")
	if err != nil {
		return nil, policyErr("ds:Signature: %v", err)
	}
	str, err := child(ki, NSWsse, "SecurityTokenReference")
	if err != nil {
		return nil, policyErr("ds:KeyInfo: %v", err)
	}
	return tokenCert(sec, str)
}

// tokenCert follows a SecurityTokenReference's wsse:Reference to the one
// wsse:BinarySecurityToken in sec with that id and parses its certificate.
func tokenCert(sec, str *etree.Element) (*x509.Certificate, error) {
	ref, err := child(str, NSWsse, "Reference")
	if err != nil {
		return nil, policyErr("wsse:SecurityTokenReference: %v (only a reference to a BinarySecurityToken is accepted)", err)
	}
	uri, _ := attr(ref, "", "URI")
	id, ok := strings.CutPrefix(uri, "#")
	if !ok || id == "" {
		return nil, policyErr("wsse:Reference URI %q is not a same-document reference", uri)
	}
	var found []*etree.Element
	for _, bst := range children(sec, NSWsse, "BinarySecurityToken") {
		if wsuID(bst) == id {
			found = append(found, bst)
		}
	}
	if len(found) != 1 {
		return nil, policyErr("%d wsse:BinarySecurityToken elements carry Id %q, want one", len(found), id)
	}
	bst := found[0]
	if vt, _ := attr(bst, "", "ValueType"); vt != ValueTypeX509v3 {
		return nil, policyErr("wsse:BinarySecurityToken ValueType %q is not X509v3", vt)
	}
	if et, ok := attr(bst, "", "EncodingType"); ok && et != EncodingBase64 {
		return nil, policyErr("wsse:BinarySecurityToken EncodingType %q is not Base64Binary", et)
	}
	text := bst.Text()
	if cert := tokenCerts.get(text); cert != nil {
		return cert, nil
	}
	der, err := decodeBase64(text)
	if err != nil {
		return nil, authErr("wsse:BinarySecurityToken: %v", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, authErr("wsse:BinarySecurityToken certificate: %v", err)
	}
	tokenCerts.put(text, cert)
	return cert, nil
}

// tokenCerts remembers the certificates of recent BinarySecurityTokens:
// a partner signs every message with the same one, and decoding and
// parsing it was about 1% of an AS4 message's CPU time. Only the parse is
// saved; the trust store checks the certificate on every use.
var tokenCerts = certCache{max: 256}

// certCache maps token text to its parsed certificate; when full it
// starts again empty.
type certCache struct {
	mu    sync.Mutex
	max   int
	certs map[string]*x509.Certificate
}

func (c *certCache) get(text string) *x509.Certificate {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.certs[text]
}

func (c *certCache) put(text string, cert *x509.Certificate) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.certs == nil || len(c.certs) >= c.max {
		c.certs = make(map[string]*x509.Certificate)
	}
	c.certs[text] = cert
}

// decodeBase64 decodes base64 text that may be folded over lines.
func decodeBase64(s string) ([]byte, error) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\r', '\n':
			return -1
		}
		return r
	}, s)
	return base64.StdEncoding.DecodeString(s)
}
