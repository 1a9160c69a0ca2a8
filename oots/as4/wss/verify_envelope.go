package wss

import (
	"crypto/x509"
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
	sig, err := verifySignature(env, nil, trust, now, true)
	if err != nil {
		return nil, err
	}
	return sig.cert, nil
}
