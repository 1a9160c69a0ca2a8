package provider

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// tokenKeySize is the length of the key preview tokens are derived from.
const tokenKeySize = 32

// loadTokenKey reads the key preview tokens are derived from, creating it
// (0600) on first use. It lives beside the database, not in it: a copy of
// the database alone opens no preview.
func loadTokenKey(path string) ([]byte, error) {
	key, err := os.ReadFile(path)
	if err == nil {
		if len(key) != tokenKeySize {
			return nil, fmt.Errorf("provider: preview token key %s: %d bytes, want %d", path, len(key), tokenKeySize)
		}
		return key, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("provider: preview token key: %w", err)
	}
	key = make([]byte, tokenKeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("provider: preview token key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return loadTokenKey(path) // another process made it first
	}
	if err != nil {
		return nil, fmt.Errorf("provider: preview token key: %w", err)
	}
	if _, err := f.Write(key); err != nil {
		f.Close()
		return nil, fmt.Errorf("provider: preview token key: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, fmt.Errorf("provider: preview token key: %w", err)
	}
	return key, f.Close()
}

// previewToken is the token of the preview of one exchange of one
// requester: the same request sent again (after the requester crashed)
// names the same preview, and nobody without the key can guess it.
func previewToken(key []byte, requester, exchangeID string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(requester))
	m.Write([]byte{0})
	m.Write([]byte(exchangeID))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
