package keys

import (
	"crypto"
	"crypto/x509"
	"fmt"
)

// Identity is our own key pair for signing and decrypting: the private
// key, its certificate and the chain of intermediate certificates above it
// (leaf excluded, root optional).
type Identity struct {
	// Key signs; the keys loaded here (RSA, ECDSA) are also a
	// crypto.Decrypter when the algorithm allows it (RSA).
	Key crypto.Signer
	// Cert is the certificate of Key.
	Cert *x509.Certificate
	// Chain holds the certificates above Cert, nearest first.
	Chain []*x509.Certificate
}

// Decrypter returns Key as a crypto.Decrypter, or an error when the key
// cannot decrypt (for example an ECDSA key).
func (id Identity) Decrypter() (crypto.Decrypter, error) {
	d, ok := id.Key.(crypto.Decrypter)
	if !ok {
		return nil, fmt.Errorf("keys: identity key %T cannot decrypt", id.Key)
	}
	return d, nil
}
