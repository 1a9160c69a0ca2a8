package as4

import (
	"crypto/x509"
	"io"
	"os"
	"time"

	"github.com/beevik/etree"
	"github.com/vienreiz/vienreiz/oots/as4/keys"
	"github.com/vienreiz/vienreiz/oots/as4/pmode"
)

// Security is the WS-Security layer the MSH calls, in the shape of package
// wss; WSS returns the real implementation. Failures must be (or wrap)
// ErrFailedAuthentication, ErrFailedDecryption or ErrPolicyNoncompliance
// so that the right ebMS error goes back.
type Security interface {
	// Sign adds a wsse:Security signature over the eb:Messaging header,
	// the body and every part.
	Sign(env *etree.Document, parts []Part, id keys.Identity, alg pmode.Security) error
	// Encrypt encrypts the parts for recipient and returns the ciphertext
	// parts that replace them on the wire.
	Encrypt(env *etree.Document, parts []Part, recipient *x509.Certificate, alg pmode.Security, rnd io.Reader) ([]Part, error)
	// Decrypt returns the plaintext parts, each checked before returning.
	Decrypt(env *etree.Document, parts []Part, id keys.Identity, spool func() (*os.File, error)) ([]Part, error)
	// Verify checks the signature against trust at time now and returns the
	// signer's certificate and copies of the signed ds:Reference elements.
	Verify(env *etree.Document, parts []Part, trust *keys.TrustStore, now time.Time) (*x509.Certificate, []*etree.Element, error)
}
