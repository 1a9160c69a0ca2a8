package platforms

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"

	"github.com/vienreiz/vienreiz/platforms/device"
	"github.com/vienreiz/vienreiz/platforms/secrets"
)

// DemoPasswordSecret is the name the demo network's key-store password is
// kept under in the app's secret store.
const DemoPasswordSecret = "demo/keystore-password"

// DemoPassword returns the password that seals the embedded demo network's
// key stores, kept in store; on first use it makes a random one (32 random
// bytes as text) and keeps it.
func DemoPassword(store secrets.Store) (string, error) {
	p, err := store.Get(DemoPasswordSecret)
	if err == nil && p != "" {
		return p, nil
	}
	if err != nil && !errors.Is(err, secrets.ErrNotFound) {
		return "", err
	}
	p = rand.Text() + rand.Text()
	if err := store.Set(DemoPasswordSecret, p); err != nil {
		return "", fmt.Errorf("keeping the demo key-store password: %w", err)
	}
	return p, nil
}

// EvidenceKeySecret is the name the key that encrypts evidence documents
// at rest is kept under in the app's secret store (64 hex digits).
const EvidenceKeySecret = "evidence/key"

// EvidenceKey returns the key that encrypts evidence documents at rest,
// kept in store; on first use it makes a random 32-byte key and keeps it.
func EvidenceKey(store secrets.Store) ([]byte, error) { return keptKey(store, EvidenceKeySecret) }

// HandoffKeySecret is the name the key that signs the embedded service's
// handoff and pairing links is kept under (64 hex digits).
const HandoffKeySecret = "handoff/key"

// HandoffKey returns the key that signs the embedded service's handoff
// and pairing links, kept in store and made on first use. Deleting it
// from the store rotates it: links made before are refused (their short
// codes still work).
func HandoffKey(store secrets.Store) ([]byte, error) { return keptKey(store, HandoffKeySecret) }

// keptKey returns the 32-byte key kept in store under name, making a
// random one on first use.
func keptKey(store secrets.Store, name string) ([]byte, error) {
	text, err := store.Get(name)
	if err != nil && !errors.Is(err, secrets.ErrNotFound) {
		return nil, err
	}
	if err == nil && text != "" {
		key, err := hex.DecodeString(text)
		if err != nil || len(key) != 32 {
			return nil, fmt.Errorf("the key %s in the secret store is not 64 hex digits", name)
		}
		return key, nil
	}
	key := make([]byte, 32)
	rand.Read(key)
	if err := store.Set(name, hex.EncodeToString(key)); err != nil {
		return nil, fmt.Errorf("keeping the key %s: %w", name, err)
	}
	return key, nil
}

// UseSecretStore opens the app's secret store (device.OpenSecretStore)
// and fills in from it what was not given otherwise (UseSecrets). Where
// none can be opened it returns nil, and the demo stays sealed with the
// built-in demo password and evidence is kept in clear (the log says so).
func (f *ServiceFlags) UseSecretStore(ctx context.Context, log *slog.Logger, ask device.AskPIN) (secrets.Store, error) {
	store, err := device.OpenSecretStore(ctx, f.DataDir, ask, log)
	if err != nil || store == nil {
		if err == nil {
			log.Warn("without a secret store the demo network's key stores stay sealed with the built-in demo password and evidence documents are kept in clear")
		}
		return nil, err
	}
	return store, f.UseSecrets(store)
}

// UseSecrets fills in, from store, what was not given otherwise: the
// password that seals the embedded demo network's key stores, the key
// that encrypts evidence documents at rest, and the key that signs handoff
// and pairing links.
func (f *ServiceFlags) UseSecrets(store secrets.Store) error {
	var err error
	if f.Network == "" && f.MemberState == "" && f.DemoPassword == "" && f.DemoPasswordFile == "" {
		if f.DemoPassword, err = DemoPassword(store); err != nil {
			return err
		}
	}
	if f.EvidenceKeyFile == "" && f.EvidenceKey == nil {
		if f.EvidenceKey, err = EvidenceKey(store); err != nil {
			return err
		}
	}
	if f.HandoffKeyFile == "" && f.HandoffKey == nil {
		if f.HandoffKey, err = HandoffKey(store); err != nil {
			return err
		}
	}
	return nil
}
