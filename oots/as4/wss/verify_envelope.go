package wss

import (
	"crypto/x509"
	"time"

	"github.com/beevik/etree"

	"github.com/vienreiz/vienreiz/oots/as4/keys"
)

// SignedEnvelope is an envelope whose signature VerifyEnvelope accepted;
// VerifyParts completes the check with the attachments.
type SignedEnvelope struct {
	// Cert is the signer's certificate, checked against the trust store.
	Cert *x509.Certificate
	// References are copies of the signed ds:Reference elements, as
	// Verified has them. Those of the attachments are not checked until
	// VerifyParts; a receiver may build its receipt from them meanwhile,
	// but must not send it before VerifyParts succeeded.
	References []*etree.Element
	e          envelope
	sig        *signature
}

// VerifyEnvelope checks what can be checked of a signed message before its
// attachments are read: the signer is trusted at time now, the signature
// value is right, and the digests of eb:Messaging and the SOAP Body match.
// The attachment references are only checked for their form; VerifyParts
// checks their digests afterwards. A receiver calls it so that a stranger's
// upload is refused before it costs disk.
func VerifyEnvelope(env *etree.Document, trust *keys.TrustStore, now time.Time) (*SignedEnvelope, error) {
	e, sig, err := verifySignature(env, nil, trust, now, true)
	if err != nil {
		return nil, err
	}
	return &SignedEnvelope{Cert: sig.cert, References: verified(sig).References, e: e, sig: sig}, nil
}

// VerifyParts finishes what VerifyEnvelope began, with the message's
// (decrypted) attachments: together they make the checks of Verify. Each
// part must be referenced exactly once and match its digest; the signer,
// the signature value and the envelope's digests, checked already, are
// not computed again. The envelope must not have changed since
// VerifyEnvelope (Decrypt leaves it as it is).
func (s *SignedEnvelope) VerifyParts(parts []Part) (*Verified, error) {
	if err := checkContentIDs(parts); err != nil {
		return nil, err
	}
	plan, err := planReferences(s.e, s.sig, parts)
	if err != nil {
		return nil, err
	}
	for _, step := range plan {
		if step.target != nil {
			continue // eb:Messaging, the Body, the timestamp: VerifyEnvelope's
		}
		if err := step.check(); err != nil {
			return nil, err
		}
	}
	return &Verified{Cert: s.Cert, References: s.References}, nil
}
