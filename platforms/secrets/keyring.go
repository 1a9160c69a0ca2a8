package secrets

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/zalando/go-keyring"
)

// Keyring is a Store in the operating system's secret store, through
// github.com/zalando/go-keyring. Each secret is an item of Service with
// the secret's name as its user name.
type Keyring struct {
	Service string
}

// Get returns the secret stored under name.
func (k Keyring) Get(name string) (string, error) {
	v, err := keyring.Get(k.Service, name)
	if errors.Is(err, keyring.ErrNotFound) {
		return "", fmt.Errorf("secrets: %q: %w", name, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("secrets: reading %q from the OS secret store: %w", name, err)
	}
	return v, nil
}

// Set stores value under name.
func (k Keyring) Set(name, value string) error {
	if err := keyring.Set(k.Service, name, value); err != nil {
		return fmt.Errorf("secrets: writing %q to the OS secret store: %w", name, err)
	}
	return nil
}

// Delete removes the secret under name.
func (k Keyring) Delete(name string) error {
	err := keyring.Delete(k.Service, name)
	if err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return fmt.Errorf("secrets: deleting %q from the OS secret store: %w", name, err)
	}
	return nil
}

// probeName is looked up to learn whether the OS secret store answers; it
// is never written.
const probeName = "probe/does-not-exist"

// probe reports whether the OS secret store answers within timeout: a
// look-up of a name that is never stored must come back "not found".
func (k Keyring) probe(ctx context.Context, timeout time.Duration) error {
	if !sessionBusKnown() {
		return errors.New("no D-Bus session bus")
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := keyring.Get(k.Service, probeName)
		done <- err
	}()
	select {
	case err := <-done:
		if errors.Is(err, keyring.ErrNotFound) {
			return nil
		}
		if err == nil {
			return errors.New("the probe item exists")
		}
		return err
	case <-ctx.Done():
		return fmt.Errorf("no answer: %w", ctx.Err())
	}
}

// sessionBusKnown reports whether a D-Bus session bus can be found without
// starting one. Where none is, go-keyring (through godbus) would run
// dbus-launch, which leaves a daemon behind for every try.
func sessionBusKnown() bool {
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly":
	default:
		return true // the OS's own secret store, no D-Bus
	}
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && a != "autolaunch:" {
		return true
	}
	dir := os.Getenv("XDG_RUNTIME_DIR")
	if dir == "" {
		dir = fmt.Sprintf("/run/user/%d", os.Getuid())
	}
	for _, name := range []string{"bus", "dbus-session"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return true
		}
	}
	return false
}
