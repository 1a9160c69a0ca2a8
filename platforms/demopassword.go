package platforms

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

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

// UseSecretStoreForDemo sets DemoPassword from the app's secret store (the
// OS one, or the encrypted file in the data folder unlocked with
// VIENREIZ_APP_PIN) when the embedded demo network runs and no password was
// given. Where neither store can be opened the demo stays sealed with the
// built-in demo password, and the log says so.
func (f *ServiceFlags) UseSecretStoreForDemo(ctx context.Context, log *slog.Logger) error {
	if f.Network != "" || f.MemberState != "" || f.DemoPassword != "" || f.DemoPasswordFile != "" {
		return nil
	}
	dir := f.DataDir
	if dir == "" {
		d, err := DataDir("")
		if err != nil {
			return err
		}
		dir = d
	}
	store, err := secrets.Open(ctx, secrets.Options{FilePath: filepath.Join(dir, "secrets.enc"), PIN: appPIN, Log: log})
	if err != nil {
		log.Warn("no secret store: the demo network's key stores stay sealed with the built-in demo password", "err", err)
		return nil
	}
	f.DemoPassword, err = DemoPassword(store)
	return err
}

// appPIN is the app PIN that unlocks the encrypted secrets file, until
// the app asks for it on screen.
func appPIN() (string, error) {
	if pin := os.Getenv("VIENREIZ_APP_PIN"); pin != "" {
		return pin, nil
	}
	return "", errors.New("no app PIN (VIENREIZ_APP_PIN) to unlock the encrypted secrets file")
}
