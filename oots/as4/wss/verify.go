package wss

import (
	"crypto/rsa"
	"crypto/subtle"
	"crypto/x509"
	"fmt"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/vienreiz/vienreiz/oots/as4/keys"
)

// minRSABits is the smallest RSA signing key accepted.
const minRSABits = 2048

// Verified is the outcome of a successful Verify.
type Verified struct {
	// Cert is the signer's certificate, checked against the trust store.
	Cert *x509.Certificate
	// References are copies of the signed ds:Reference elements, in
	// SignedInfo order, for the non-repudiation receipt. Each declares the
	// namespaces it uses, so it can be placed in any document.
	References []*etree.Element
}

// Verify checks the WS-Security signature of a received envelope and its
// (already decrypted) attachments: the signature must cover eb:Messaging,
// the SOAP Body and every part, with allowed algorithms only; the signer's
// certificate must be trusted by trust at time now and allowed to sign.
// Failures wrap ErrFailedAuthentication or ErrPolicyNoncompliance.
func Verify(env *etree.Document, parts []Part, trust *keys.TrustStore, now time.Time) (*Verified, error) {
	_, sig, err := verifySignature(env, parts, trust, now, false)
	if err != nil {
		return nil, err
	}
	return verified(sig), nil
}

func verified(sig *signature) *Verified {
	v := &Verified{Cert: sig.cert}
	for _, r := range sig.refs {
		v.References = append(v.References, standalone(r.el))
	}
	return v
}

// verifySignature makes the checks of Verify and returns the envelope's
// parts and the signature.
// With partsPending the attachments are not read yet (VerifyEnvelope):
// the parts the signature names stand in for them, and their references
// are checked for their form but not their digests.
func verifySignature(env *etree.Document, parts []Part, trust *keys.TrustStore, now time.Time, partsPending bool) (envelope, *signature, error) {
	e, err := splitEnvelope(env)
	if err != nil {
		return e, nil, err
	}
	if err := checkContentIDs(parts); err != nil {
		return e, nil, err
	}
	sec, err := parseSecurity(e)
	if err != nil {
		return e, nil, err
	}
	sig := sec.signature
	if sig == nil {
		return e, nil, policyErr("message is not signed: wsse:Security has no ds:Signature")
	}
	if partsPending {
		parts = nil
		for _, ref := range sig.refs {
			if cid, ok := strings.CutPrefix(ref.uri, "cid:"); ok {
				parts = append(parts, Part{ContentID: cid})
			}
		}
	}
	plan, err := planReferences(e, sig, parts)
	if err != nil {
		return e, nil, err
	}
	if err := checkSigner(sig.cert, trust, now); err != nil {
		return e, nil, err
	}
	if err := checkSignatureValue(sig); err != nil {
		return e, nil, err
	}
	for _, step := range plan {
		if partsPending && step.target == nil {
			continue
		}
		if err := step.check(); err != nil {
			return e, nil, err
		}
	}
	return e, sig, nil
}

// refCheck is one digest comparison still to be done.
type refCheck struct {
	ref    reference
	target *etree.Element // same-document target, or nil
	part   Part           // attachment target when target is nil
}

// check recomputes the reference's digest and compares it.
func (c refCheck) check() error {
	h, err := digestHash(c.ref.digestAlg)
	if err != nil {
		return err
	}
	var got []byte
	if c.target != nil {
		canon, err := canonicalize(c.target, c.ref.transforms[0].prefixList)
		if err != nil {
			return authErr("reference %q: %v", c.ref.uri, err)
		}
		hh := h.New()
		hh.Write(canon)
		got = hh.Sum(nil)
	} else {
		got, err = digestPart(c.part, h.New())
		if err != nil {
			return authErr("reference %q: %v", c.ref.uri, err)
		}
	}
	if subtle.ConstantTimeCompare(got, c.ref.digest) != 1 {
		return authErr("digest of %q does not match: content was changed", c.ref.uri)
	}
	return nil
}

// planReferences resolves every reference and enforces the AS4 coverage
// policy: eb:Messaging, the Body and each part referenced exactly once,
// nothing else referenced, only the expected transforms.
func planReferences(e envelope, sig *signature, parts []Part) ([]refCheck, error) {
	var plan []refCheck
	covered := map[*etree.Element]bool{}
	partsCovered := map[string]bool{}
	for _, ref := range sig.refs {
		switch {
		case strings.HasPrefix(ref.uri, "#"):
			target, err := resolveID(e, ref.uri[1:], sig.timestamp)
			if err != nil {
				return nil, err
			}
			if covered[target] {
				return nil, policyErr("element %q is referenced twice", ref.uri)
			}
			covered[target] = true
			if len(ref.transforms) != 1 || ref.transforms[0].alg != AlgExcC14N {
				return nil, policyErr("reference %q must have exactly the exclusive c14n transform", ref.uri)
			}
			plan = append(plan, refCheck{ref: ref, target: target})
		case strings.HasPrefix(ref.uri, "cid:"):
			cid := ref.uri[len("cid:"):]
			p, _, ok := findPart(parts, cid)
			if !ok {
				return nil, policyErr("reference %q names no attachment of the message", ref.uri)
			}
			if partsCovered[cid] {
				return nil, policyErr("attachment %q is referenced twice", ref.uri)
			}
			partsCovered[cid] = true
			if len(ref.transforms) != 1 || ref.transforms[0].alg != AlgAttachmentContentSig {
				return nil, policyErr("reference %q must have exactly the Attachment-Content-Signature-Transform", ref.uri)
			}
			plan = append(plan, refCheck{ref: ref, part: p})
		default:
			return nil, policyErr("reference URI %q is neither same-document nor cid:", ref.uri)
		}
	}
	if !covered[e.messaging] {
		return nil, policyErr("eb:Messaging is not signed")
	}
	if hasCommentOrPI(e.messaging) {
		// Exclusive c14n drops comments, so text split by one still
		// verifies while a parser may read only its first piece.
		return nil, policyErr("signed eb:Messaging contains a comment or processing instruction")
	}
	if !covered[e.body] {
		return nil, policyErr("SOAP Body is not signed")
	}
	for _, p := range parts {
		if !partsCovered[p.ContentID] {
			return nil, policyErr("attachment cid:%s is not signed", p.ContentID)
		}
	}
	return plan, nil
}

// resolveID finds the one element of the envelope carrying id in any
// attribute named Id, and accepts it only if it is eb:Messaging, the SOAP
// Body or the security header's wsu:Timestamp (timestamp, nil if none).
// Duplicated ids and ids on other elements are wrapping attempts.
func resolveID(e envelope, id string, timestamp *etree.Element) (*etree.Element, error) {
	var found []*etree.Element
	var walk func(*etree.Element)
	walk = func(el *etree.Element) {
		for _, a := range el.Attr {
			if strings.EqualFold(a.Key, "id") && a.Space != "xmlns" && a.Value == id {
				found = append(found, el)
				break
			}
		}
		for _, tok := range el.Child {
			if c, ok := tok.(*etree.Element); ok {
				walk(c)
			}
		}
	}
	walk(e.root)
	switch {
	case len(found) == 0:
		return nil, policyErr("reference #%s points at no element", id)
	case len(found) > 1:
		return nil, policyErr("id %q is carried by %d elements (signature wrapping?)", id, len(found))
	}
	if t := found[0]; t != e.messaging && t != e.body && (timestamp == nil || t != timestamp) {
		return nil, policyErr("reference #%s points at %s, only eb:Messaging, the SOAP Body and the wsu:Timestamp may be signed", id, t.FullTag())
	}
	if wsuID(found[0]) != id {
		return nil, policyErr("reference #%s does not match a wsu:Id", id)
	}
	return found[0], nil
}

// checkSigner validates the signing certificate: trusted chain and
// validity at now and the digitalSignature key usage (keys.TrustStore),
// and an RSA key of at least minRSABits.
func checkSigner(cert *x509.Certificate, trust *keys.TrustStore, now time.Time) error {
	if trust == nil {
		return authErr("no trust store to verify the signer against")
	}
	// A certificate without the key usage extension may be used for
	// anything (RFC 5280, 4.2.1.3); one with it must allow signatures.
	var ku x509.KeyUsage
	if cert.KeyUsage != 0 {
		ku = x509.KeyUsageDigitalSignature
	}
	if err := trust.VerifyKeyUsage(cert, now, ku); err != nil {
		return fmt.Errorf("%w: signer certificate %q: %w", ErrFailedAuthentication, cert.Subject, err)
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return policyErr("signer key is %T, want RSA", cert.PublicKey)
	}
	if pub.N.BitLen() < minRSABits {
		return policyErr("signer RSA key has %d bits, want at least %d", pub.N.BitLen(), minRSABits)
	}
	return nil
}

// checkSignatureValue verifies the RSA PKCS#1 v1.5 signature over the
// exclusive canonical form of SignedInfo.
func checkSignatureValue(sig *signature) error {
	h, err := signatureHash(sig.method)
	if err != nil {
		return err
	}
	canon, err := canonicalize(sig.signedInfo, sig.c14nPrefix)
	if err != nil {
		return authErr("ds:SignedInfo: %v", err)
	}
	hh := h.New()
	hh.Write(canon)
	pub := sig.cert.PublicKey.(*rsa.PublicKey)
	if err := rsa.VerifyPKCS1v15(pub, h, hh.Sum(nil), sig.value); err != nil {
		return authErr("ds:SignatureValue does not verify with the signer certificate: %v", err)
	}
	return nil
}

// hasCommentOrPI reports whether a comment or processing instruction
// appears anywhere below el.
func hasCommentOrPI(el *etree.Element) bool {
	for _, tok := range el.Child {
		switch t := tok.(type) {
		case *etree.Comment, *etree.ProcInst:
			return true
		case *etree.Element:
			if hasCommentOrPI(t) {
				return true
			}
		}
	}
	return false
}

// standalone returns a copy of el that declares on itself every namespace
// prefix used in its subtree and declared above it.
func standalone(el *etree.Element) *etree.Element {
	c := el.Copy()
	declared := map[string]bool{}
	for _, a := range c.Attr {
		if a.Space == "xmlns" {
			declared[a.Key] = true
		}
	}
	var walk func(*etree.Element)
	walk = func(e *etree.Element) {
		need := []string{e.Space}
		for _, a := range e.Attr {
			if a.Space != "" && a.Space != "xmlns" && a.Space != "xml" {
				need = append(need, a.Space)
			}
		}
		for _, p := range need {
			if p == "" || declared[p] {
				continue
			}
			declared[p] = true
			if uri := lookupPrefix(el, p); uri != "" {
				c.CreateAttr("xmlns:"+p, uri)
			}
		}
		for _, ch := range e.ChildElements() {
			walk(ch)
		}
	}
	walk(c)
	return c
}

// lookupPrefix resolves prefix in the scope of el, ancestors included.
func lookupPrefix(el *etree.Element, prefix string) string {
	for e := el; e != nil; e = e.Parent() {
		for _, a := range e.Attr {
			if a.Space == "xmlns" && a.Key == prefix {
				return a.Value
			}
		}
	}
	return ""
}
