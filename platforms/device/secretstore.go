package device

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/vienreiz/vienreiz/platforms/secrets"
)

// AskPIN asks the person for the app PIN that seals the secrets file:
// setting is true when the file does not exist yet (a new PIN is chosen),
// problem says why the last PIN was not taken ("" at first).
type AskPIN func(setting bool, problem string) (string, error)

// OpenSecretStore opens the app's secret store: the OS one where it
// answers, else the encrypted file secrets.enc in the data folder dataDir
// ("" for the default), unlocked with VIENREIZ_APP_PIN or else the PIN ask
// gives (nil: only the variable), asked again after a wrong one. Where
// none can be opened it returns nil and logs why: sign-in then lasts the
// run only. The error is the data folder's.
func OpenSecretStore(ctx context.Context, dataDir string, ask AskPIN, log *slog.Logger) (secrets.Store, error) {
	if dataDir == "" {
		d, err := DataDir()
		if err != nil {
			return nil, err
		}
		dataDir = d
	}
	file := filepath.Join(dataDir, "secrets.enc")
	var pin string
	pinOf := func() (string, error) {
		if p := os.Getenv("VIENREIZ_APP_PIN"); p != "" || ask == nil {
			pin = p
			return appPIN()
		}
		_, err := os.Stat(file)
		pin, err = ask(errors.Is(err, os.ErrNotExist), "")
		return pin, err
	}
	store, err := secrets.Open(ctx, secrets.Options{FilePath: file, PIN: pinOf, Log: log})
	for errors.Is(err, secrets.ErrWrongPIN) && ask != nil && os.Getenv("VIENREIZ_APP_PIN") == "" {
		if pin, err = ask(false, "wrong_pin"); err != nil {
			break
		}
		store, err = secrets.OpenFile(file, pin)
	}
	if err != nil {
		log.Warn("no secret store: sign-in is not kept across runs", "err", err)
		return nil, nil
	}
	return store, nil
}

// appPIN is the app PIN that unlocks the encrypted secrets file, until
// the app asks for it on screen.
func appPIN() (string, error) {
	if pin := os.Getenv("VIENREIZ_APP_PIN"); pin != "" {
		return pin, nil
	}
	return "", errors.New("no app PIN (VIENREIZ_APP_PIN) to unlock the encrypted secrets file")
}
