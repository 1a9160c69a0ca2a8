package as4

import (
	"crypto/rand"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/beevik/etree"
	"github.com/vienreiz/vienreiz/oots/as4/keys"
	"github.com/vienreiz/vienreiz/oots/as4/pmode"
	"github.com/vienreiz/vienreiz/oots/as4/wss"
)

// WSS returns the Security implementation backed by package wss, with its
// failures mapped to EBMS:0101, 0102 and 0103.
func WSS() Security { return wssSecurity{} }

type wssSecurity struct{}

func toWSS(parts []Part) []wss.Part {
	out := make([]wss.Part, len(parts))
	for i, p := range parts {
		out[i] = wss.Part(p)
	}
	return out
}

func fromWSS(parts []wss.Part) []Part {
	out := make([]Part, len(parts))
	for i, p := range parts {
		out[i] = Part(p)
	}
	return out
}

// mapWSS wraps a wss failure in the matching ebMS error.
func mapWSS(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, wss.ErrPolicyNoncompliance):
		return ErrPolicyNoncompliance.With("", err)
	case errors.Is(err, wss.ErrFailedDecryption):
		return ErrFailedDecryption.With("", err)
	case errors.Is(err, wss.ErrFailedAuthentication):
		return ErrFailedAuthentication.With("", err)
	default:
		return fmt.Errorf("wss: %w", err)
	}
}

// Sign calls wss.Sign.
func (wssSecurity) Sign(env *etree.Document, parts []Part, id keys.Identity, alg pmode.Security) error {
	return mapWSS(wss.Sign(env, toWSS(parts), id, alg))
}

// Encrypt calls wss.Encrypt (crypto/rand when rnd is nil).
func (wssSecurity) Encrypt(env *etree.Document, parts []Part, recipient *x509.Certificate, alg pmode.Security, rnd io.Reader) ([]Part, error) {
	if rnd == nil {
		rnd = rand.Reader
	}
	out, err := wss.Encrypt(env, toWSS(parts), recipient, alg, rnd)
	if err != nil {
		return nil, mapWSS(err)
	}
	return fromWSS(out), nil
}

// Decrypt calls wss.Decrypt.
func (wssSecurity) Decrypt(env *etree.Document, parts []Part, id keys.Identity, spool func() (*os.File, error)) ([]Part, error) {
	out, err := wss.Decrypt(env, toWSS(parts), id, spool)
	if err != nil {
		return nil, mapWSS(err)
	}
	return fromWSS(out), nil
}

// Verify calls wss.Verify.
func (wssSecurity) Verify(env *etree.Document, parts []Part, trust *keys.TrustStore, now time.Time) (*x509.Certificate, []*etree.Element, error) {
	v, err := wss.Verify(env, toWSS(parts), trust, now)
	if err != nil {
		return nil, nil, mapWSS(err)
	}
	return v.Cert, v.References, nil
}
