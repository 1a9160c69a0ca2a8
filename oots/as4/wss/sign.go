package wss

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/beevik/etree"

	"github.com/vienreiz/vienreiz/oots/as4/keys"
	"github.com/vienreiz/vienreiz/oots/as4/pmode"
)

// Sign adds a wsse:Security header to env holding the signer's certificate
// (wsse:BinarySecurityToken) and a ds:Signature over eb:Messaging, the SOAP
// Body and every attachment in parts, as the AS4 profile requires. It gives
// Messaging and Body a wsu:Id when they have none. The signature algorithm
// and digest come from alg (RSA-SHA256 and SHA-256 when empty); id.Key must
// be an RSA key. Attachments are digested streaming.
func Sign(env *etree.Document, parts []Part, id keys.Identity, alg pmode.Security) (err error) {
	e, err := splitEnvelope(env)
	if err != nil {
		return err
	}
	if id.Key == nil || id.Cert == nil {
		return fmt.Errorf("wss: sign: identity has no key or certificate")
	}
	if _, ok := id.Key.Public().(*rsa.PublicKey); !ok {
		return fmt.Errorf("wss: sign: key is %T, only RSA keys are supported", id.Key.Public())
	}
	sigURI := orDefault(alg.SignatureAlgorithm, AlgRSASHA256)
	sigHash, err := signatureHash(sigURI)
	if err != nil {
		return fmt.Errorf("sign: SignatureAlgorithm: %w", err)
	}
	digURI := orDefault(alg.DigestAlgorithm, AlgSHA256)
	digHash, err := digestHash(digURI)
	if err != nil {
		return fmt.Errorf("sign: DigestAlgorithm: %w", err)
	}
	if err := checkContentIDs(parts); err != nil {
		return fmt.Errorf("sign: %w", err)
	}
	// Attachments first: reading them is what usually fails, and until
	// here the envelope is untouched.
	partDigests := make([][]byte, len(parts))
	for i, p := range parts {
		if partDigests[i], err = digestPart(p, digHash.New()); err != nil {
			return fmt.Errorf("wss: sign: %w", err)
		}
	}
	bstID, err := newID("X509-")
	if err != nil {
		return err
	}
	sigID, err := newID("SIG-")
	if err != nil {
		return err
	}

	// From here on the envelope changes; undo it all on failure.
	var undo []func()
	defer func() {
		if err != nil {
			for i := len(undo) - 1; i >= 0; i-- {
				undo[i]()
			}
		}
	}()

	signature := etree.NewElement("ds:Signature")
	signature.CreateAttr("xmlns:ds", NSDsig)
	signature.CreateAttr("Id", sigID)
	signedInfo := signature.CreateElement("ds:SignedInfo")
	signedInfo.CreateElement("ds:CanonicalizationMethod").CreateAttr("Algorithm", AlgExcC14N)
	signedInfo.CreateElement("ds:SignatureMethod").CreateAttr("Algorithm", sigURI)

	sec, created, err := securityHeader(e)
	if err != nil {
		return err
	}
	if created {
		undo = append(undo, func() { e.header.RemoveChild(sec) })
	}
	targets := []*etree.Element{e.messaging, e.body}
	if alg.SignTimestamp {
		ts, err := timestamp(time.Now())
		if err != nil {
			return err
		}
		sec.InsertChildAt(0, ts)
		undo = append(undo, func() { sec.RemoveChild(ts) })
		targets = append([]*etree.Element{ts}, targets...)
	}
	for _, target := range targets {
		refID, added, err := ensureWsuID(target)
		if err != nil {
			return err
		}
		if added {
			undo = append(undo, func() {
				target.RemoveAttr("wsu:Id")
				target.RemoveAttr("xmlns:wsu")
			})
		}
		c, err := canonicalize(target, "")
		if err != nil {
			return fmt.Errorf("wss: sign: %w", err)
		}
		h := digHash.New()
		h.Write(c)
		addReference(signedInfo, "#"+refID, AlgExcC14N, digURI, h.Sum(nil))
	}
	for i, p := range parts {
		addReference(signedInfo, "cid:"+p.ContentID, AlgAttachmentContentSig, digURI, partDigests[i])
	}
	sigValue := signature.CreateElement("ds:SignatureValue")
	str := signature.CreateElement("ds:KeyInfo").CreateElement("wsse:SecurityTokenReference")
	ref := str.CreateElement("wsse:Reference")
	ref.CreateAttr("URI", "#"+bstID)
	ref.CreateAttr("ValueType", ValueTypeX509v3)

	bst := etree.NewElement("wsse:BinarySecurityToken")
	bst.CreateAttr("EncodingType", EncodingBase64)
	bst.CreateAttr("ValueType", ValueTypeX509v3)
	bst.CreateAttr("wsu:Id", bstID)
	bst.SetText(base64.StdEncoding.EncodeToString(id.Cert.Raw))

	declareIfMissing(bst, sec, "wsse", NSWsse)
	declareIfMissing(bst, sec, "wsu", NSWsu)
	declareIfMissing(signature, sec, "wsse", NSWsse)
	sec.AddChild(bst)
	sec.AddChild(signature)
	undo = append(undo, func() { sec.RemoveChild(bst); sec.RemoveChild(signature) })

	// SignedInfo is canonicalized where it now stands, as a verifier will.
	c, err := canonicalize(signedInfo, "")
	if err != nil {
		return fmt.Errorf("wss: sign: SignedInfo: %w", err)
	}
	h := sigHash.New()
	h.Write(c)
	value, err := id.Key.Sign(rand.Reader, h.Sum(nil), sigHash)
	if err != nil {
		return fmt.Errorf("wss: sign: RSA signature: %w", err)
	}
	sigValue.SetText(base64.StdEncoding.EncodeToString(value))
	return nil
}

// addReference appends a ds:Reference with one transform and its digest.
func addReference(signedInfo *etree.Element, uri, transform, digestURI string, digest []byte) {
	ref := signedInfo.CreateElement("ds:Reference")
	ref.CreateAttr("URI", uri)
	ref.CreateElement("ds:Transforms").CreateElement("ds:Transform").CreateAttr("Algorithm", transform)
	ref.CreateElement("ds:DigestMethod").CreateAttr("Algorithm", digestURI)
	ref.CreateElement("ds:DigestValue").SetText(base64.StdEncoding.EncodeToString(digest))
}

// ensureWsuID returns el's wsu:Id, adding a fresh one (and the wsu
// namespace declaration) when it has none; added says which.
func ensureWsuID(el *etree.Element) (id string, added bool, err error) {
	if v, ok := attr(el, NSWsu, "Id"); ok && v != "" {
		return v, false, nil
	}
	if id, err = newID("_"); err != nil {
		return "", false, err
	}
	el.CreateAttr("xmlns:wsu", NSWsu)
	el.CreateAttr("wsu:Id", id)
	return id, true, nil
}

// securityHeader returns the wsse:Security header of the envelope, adding
// one (soap:mustUnderstand="true") as the first header block when absent;
// created says which.
func securityHeader(e envelope) (sec *etree.Element, created bool, err error) {
	secs := children(e.header, NSWsse, "Security")
	switch len(secs) {
	case 1:
		return secs[0], false, nil
	case 0:
	default:
		return nil, false, policyErr("header holds %d wsse:Security elements", len(secs))
	}
	sec = etree.NewElement("wsse:Security")
	sec.CreateAttr("xmlns:wsse", NSWsse)
	sec.CreateAttr("xmlns:wsu", NSWsu)
	soapPrefix := e.root.Space
	if soapPrefix == "" {
		soapPrefix = "soapenv"
		sec.CreateAttr("xmlns:soapenv", NSSoap12)
	}
	sec.CreateAttr(soapPrefix+":mustUnderstand", "true")
	e.header.InsertChildAt(0, sec)
	return sec, true, nil
}

// declareIfMissing declares prefix for uri on el when it does not already
// mean uri in scope, for elements added to a header someone else made.
func declareIfMissing(el, scope *etree.Element, prefix, uri string) {
	if lookupPrefix(scope, prefix) != uri {
		el.CreateAttr("xmlns:"+prefix, uri)
	}
}

// timestamp builds a wsu:Timestamp created at now, to be signed with the
// message (pmode.Security.SignTimestamp), as WSS4J senders do.
func timestamp(now time.Time) (*etree.Element, error) {
	id, err := newID("TS-")
	if err != nil {
		return nil, err
	}
	ts := etree.NewElement("wsu:Timestamp")
	ts.CreateAttr("xmlns:wsu", NSWsu)
	ts.CreateAttr("wsu:Id", id)
	ts.CreateElement("wsu:Created").SetText(now.UTC().Truncate(time.Millisecond).Format("2006-01-02T15:04:05.000Z"))
	return ts, nil
}
