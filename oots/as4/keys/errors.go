package keys

import "errors"

// Errors wrapped by the keystore loaders.
var (
	// ErrPassword: the store or key password is wrong (integrity check or
	// decryption failed).
	ErrPassword = errors.New("keys: wrong keystore password")
	// ErrNoAlias: the store has no entry under the requested alias.
	ErrNoAlias = errors.New("keys: no such alias in keystore")
	// ErrNotKeyEntry: the alias names a certificate, not a private key.
	ErrNotKeyEntry = errors.New("keys: alias is not a private key entry")
	// ErrFormat: the data is not a keystore of the expected format.
	ErrFormat = errors.New("keys: malformed keystore")
	// ErrKeyMismatch: the certificate's public key is not the private key's.
	ErrKeyMismatch = errors.New("keys: certificate does not match private key")
)
