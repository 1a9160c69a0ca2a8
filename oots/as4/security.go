package as4

import (
	"crypto/x509"
	"io"
	"os"
	"runtime"
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

// yieldAfterRSA lets other goroutines run after an RSA private-key
// operation (about 1 ms of CPU). Without it, a goroutine coming back from
// a system call, such as the store's writer after its fsync, waits for a
// processor until the running crypto is preempted, up to 10 ms later; the
// whole group commit, and every message in it, waits with it (issue 16
// item 2).
func yieldAfterRSA() { runtime.Gosched() }
