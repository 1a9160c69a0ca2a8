package wss

import (
	"crypto"
	_ "crypto/sha256" // registers SHA-256 for crypto.Hash.New
	_ "crypto/sha512" // registers SHA-384 and SHA-512
)

// signatureHash maps the accepted ds:SignatureMethod URIs to their hash.
// RSA with SHA-1 is deliberately absent: the AS4 profile forbids it.
func signatureHash(uri string) (crypto.Hash, error) {
	switch uri {
	case AlgRSASHA256:
		return crypto.SHA256, nil
	case AlgRSASHA384:
		return crypto.SHA384, nil
	case AlgRSASHA512:
		return crypto.SHA512, nil
	}
	return 0, policyErr("signature algorithm %q is not allowed (want %s)", uri, AlgRSASHA256)
}

// digestHash maps the accepted ds:DigestMethod URIs to their hash; SHA-1
// is refused.
func digestHash(uri string) (crypto.Hash, error) {
	switch uri {
	case AlgSHA256:
		return crypto.SHA256, nil
	case AlgSHA384:
		return crypto.SHA384, nil
	case AlgSHA512:
		return crypto.SHA512, nil
	}
	return 0, policyErr("digest algorithm %q is not allowed (want %s)", uri, AlgSHA256)
}

// orDefault returns v, or def when v is empty.
func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
