// Package secrets keeps small secrets of the app — refresh tokens, keystore
// passwords — out of plain files: in the operating system's secret store
// (Secret Service on Linux, Keychain on macOS, Credential Manager on
// Windows) where one answers, else in a file encrypted under a key derived
// from the app PIN (phones, desktops without a secret service).
package secrets

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Store keeps secrets by name. Names are short ASCII keys such as
// "oidc/refresh-token"; values are small strings (a few KiB at most).
type Store interface {
	// Get returns the secret stored under name, or an error wrapping
	// ErrNotFound.
	Get(name string) (string, error)
	// Set stores value under name, replacing any earlier value.
	Set(name, value string) error
	// Delete removes the secret under name; deleting a missing one is not
	// an error.
	Delete(name string) error
}

// ErrNotFound is returned by Get for a name that holds no secret.
var ErrNotFound = errors.New("secret not found")

// DefaultService is the service name the app's secrets are filed under in
// the OS secret store.
const DefaultService = "vienreiz"

// Options tell Open where the secrets go.
type Options struct {
	// Service names the app in the OS secret store; DefaultService when
	// empty.
	Service string
	// FilePath is the encrypted file used when the OS has no secret store.
	FilePath string
	// PIN is asked for the app PIN only when the encrypted file is used.
	PIN func() (string, error)
	// ProbeTimeout bounds the check that the OS secret store answers (a
	// locked store may wait for a prompt); 5 seconds when zero.
	ProbeTimeout time.Duration
	// Log receives which store was chosen; slog.Default() when nil.
	Log *slog.Logger
}

// Open returns the OS secret store when it answers, else the encrypted file
// at opts.FilePath, unlocked with the PIN that opts.PIN returns.
func Open(ctx context.Context, opts Options) (Store, error) {
	log := opts.Log
	if log == nil {
		log = slog.Default()
	}
	service := opts.Service
	if service == "" {
		service = DefaultService
	}
	timeout := opts.ProbeTimeout
	if timeout == 0 {
		timeout = 5 * time.Second
	}
	kr := Keyring{Service: service}
	err := kr.probe(ctx, timeout)
	if err == nil {
		log.Info("secrets kept in the OS secret store", "service", service)
		return kr, nil
	}
	if opts.FilePath == "" || opts.PIN == nil {
		return nil, fmt.Errorf("secrets: the OS secret store does not answer (%w) and no encrypted file is configured", err)
	}
	log.Info("no OS secret store; secrets kept in an encrypted file", "file", opts.FilePath, "reason", err)
	pin, err := opts.PIN()
	if err != nil {
		return nil, fmt.Errorf("secrets: asking for the app PIN: %w", err)
	}
	return OpenFile(opts.FilePath, pin)
}
