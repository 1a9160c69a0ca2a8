package wss

import (
	"crypto/x509"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/vienreiz/vienreiz/oots/as4/keys"
)

// VerifyEnvelope checks what can be checked of a signed message before its
// attachments are read: the signer is trusted at time now, the signature
// value is right, and the digests of eb:Messaging and the SOAP Body match.
// The attachment references are only checked for their form; Verify with
// the parts checks their digests afterwards. A receiver calls it so that
// a stranger's upload is refused before it costs disk.
func VerifyEnvelope(env *etree.Document, trust *keys.TrustStore, now time.Time) (*x509.Certificate, error) {
	e, err := splitEnvelope(env)
	if err != nil {
		return nil, err
	}
	sec, err := parseSecurity(e)
	if err != nil {
		return nil, err
	}
	sig := sec.signature
	if sig == nil {
		return nil, policyErr("message is not signed: wsse:Security has no ds:Signature")
	}
	// The parts the signature names stand in for the attachments, which
	// are not read yet; their digests are not checked here.
	var named []Part
	for _, ref := range sig.refs {
		if cid, ok := strings.CutPrefix(ref.uri, "cid:"); ok {
			named = append(named, Part{ContentID: cid})
		}
	}
	plan, err := planReferences(e, sig, named)
	if err != nil {
		return nil, err
	}
	if err := checkSigner(sig.cert, trust, now); err != nil {
		return nil, err
	}
	if err := checkSignatureValue(sig); err != nil {
		return nil, err
	}
	for _, step := range plan {
		if step.target == nil {
			continue
		}
		if err := step.check(); err != nil {
			return nil, err
		}
	}
	return sig.cert, nil
}
