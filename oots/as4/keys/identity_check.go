package keys

import (
	"crypto"
	"crypto/x509"
	"fmt"
)

// newIdentity checks that key is a crypto.Signer matching one of certs,
// makes that certificate the leaf and orders the rest as its chain
// (issuer of the leaf first, then its issuer, ...; certificates not on
// the chain are dropped).
func newIdentity(key any, certs []*x509.Certificate) (Identity, error) {
	signer, ok := key.(crypto.Signer)
	if !ok {
		return Identity{}, fmt.Errorf("%w: private key of type %T cannot sign", ErrFormat, key)
	}
	type equaler interface{ Equal(crypto.PublicKey) bool }
	pub, ok := signer.Public().(equaler)
	if !ok {
		return Identity{}, fmt.Errorf("%w: public key of type %T", ErrFormat, signer.Public())
	}
	var leaf *x509.Certificate
	for _, c := range certs {
		if pub.Equal(c.PublicKey) {
			leaf = c
			break
		}
	}
	if leaf == nil {
		return Identity{}, fmt.Errorf("%w: none of %d certificates carries the key's public key", ErrKeyMismatch, len(certs))
	}
	return Identity{Key: signer, Cert: leaf, Chain: orderChain(leaf, certs)}, nil
}

// orderChain follows issuer links from leaf through pool.
func orderChain(leaf *x509.Certificate, pool []*x509.Certificate) []*x509.Certificate {
	var chain []*x509.Certificate
	cur := leaf
	for len(chain) < len(pool) {
		if cur.CheckSignatureFrom(cur) == nil && string(cur.RawIssuer) == string(cur.RawSubject) {
			break // self-signed: the top of the chain
		}
		var next *x509.Certificate
		for _, c := range pool {
			if c != cur && string(c.RawSubject) == string(cur.RawIssuer) && cur.CheckSignatureFrom(c) == nil {
				next = c
				break
			}
		}
		if next == nil {
			break
		}
		chain = append(chain, next)
		cur = next
	}
	return chain
}
