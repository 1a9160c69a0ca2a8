package wss

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"fmt"

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
func Sign(env *etree.Document, parts []Part, id keys.Identity, alg pmode.Security) error {
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

	sec, err := securityHeader(e)
	if err != nil {
		return err
	}
	bstID, err := newID("X509-")
	if err != nil {
		return err
	}
	sigID, err := newID("SIG-")
	if err != nil {
		return err
	}

	signature := etree.NewElement("ds:Signature")
	signature.CreateAttr("xmlns:ds", NSDsig)
	signature.CreateAttr("Id", sigID)
	signedInfo := signature.CreateElement("ds:SignedInfo")
	signedInfo.CreateElement("ds:CanonicalizationMethod").CreateAttr("Algorithm", AlgExcC14N)
	signedInfo.CreateElement("ds:SignatureMethod").CreateAttr("Algorithm", sigURI)

	for _, target := range []*etree.Element{e.messaging, e.body} {
		refID, err := ensureWsuID(target)
		if err != nil {
			return err
		}
		c, err := canonicalize(target, "")
		if err != nil {
			return fmt.Errorf("wss: sign: %w", err)
		}
		h := digHash.New()
		h.Write(c)
		addReference(signedInfo, "#"+refID, AlgExcC14N, digURI, h.Sum(nil))
	}
	if err := checkContentIDs(parts); err != nil {
		return fmt.Errorf("sign: %w", err)
	}
	for _, p := range parts {
		d, err := digestPart(p, digHash.New())
		if err != nil {
			return fmt.Errorf("wss: sign: %w", err)
		}
		addReference(signedInfo, "cid:"+p.ContentID, AlgAttachmentContentSig, digURI, d)
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
	sec.AddChild(bst)
	sec.AddChild(signature)

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
// namespace declaration) when it has none.
func ensureWsuID(el *etree.Element) (string, error) {
	if v, ok := attr(el, NSWsu, "Id"); ok && v != "" {
		return v, nil
	}
	id, err := newID("_")
	if err != nil {
		return "", err
	}
	el.CreateAttr("xmlns:wsu", NSWsu)
	el.CreateAttr("wsu:Id", id)
	return id, nil
}

// securityHeader returns the wsse:Security header of the envelope, adding
// one (soap:mustUnderstand="true") as the first header block when absent.
func securityHeader(e envelope) (*etree.Element, error) {
	secs := children(e.header, NSWsse, "Security")
	switch len(secs) {
	case 1:
		return secs[0], nil
	case 0:
	default:
		return nil, policyErr("header holds %d wsse:Security elements", len(secs))
	}
	sec := etree.NewElement("wsse:Security")
	sec.CreateAttr("xmlns:wsse", NSWsse)
	sec.CreateAttr("xmlns:wsu", NSWsu)
	soapPrefix := e.root.Space
	if soapPrefix == "" {
		soapPrefix = "soapenv"
		sec.CreateAttr("xmlns:soapenv", NSSoap12)
	}
	sec.CreateAttr(soapPrefix+":mustUnderstand", "true")
	e.header.InsertChildAt(0, sec)
	return sec, nil
}
