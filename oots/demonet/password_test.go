package demonet_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4/keys"
	"github.com/vienreiz/vienreiz/oots/demonet"
	"github.com/vienreiz/vienreiz/oots/exchange"
	"github.com/vienreiz/vienreiz/oots/requester/demonode"
)

// runOnce starts the service on dir with network n and stops it.
func runOnce(t *testing.T, dir string, n exchange.Network) {
	t.Helper()
	s, err := exchange.Start(context.Background(), exchange.Config{DataDir: dir, Network: n, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestKeyStoresSealedWithThePassword (issue 12 item 6): the embedded
// demo's PKCS#12 stores are sealed with Embedded.Password, not with the
// built-in demo password, also when they were first written with it.
func TestKeyStoresSealedWithThePassword(t *testing.T) {
	dir := t.TempDir()
	runOnce(t, dir, demonet.Embedded{}) // an older app: sealed with the default
	const password = "kept-in-the-os-secret-store"
	runOnce(t, dir, demonet.Embedded{Password: password})
	runOnce(t, dir, demonet.Embedded{Password: password}) // and it starts again

	stores, _ := filepath.Glob(filepath.Join(dir, "*", "pki", "*", "*.p12"))
	if more, _ := filepath.Glob(filepath.Join(dir, "pki", "*", "*.p12")); len(more) > 0 {
		stores = append(stores, more...)
	}
	if len(stores) != 4 {
		t.Fatalf("key and trust stores found: %v, want 4 (two sides)", stores)
	}
	for _, path := range stores {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		opens := func(pw string) bool {
			if filepath.Base(path) == "truststore.p12" {
				_, err := keys.DecodePKCS12Trust(data, pw)
				return err == nil
			}
			_, err := keys.LoadPKCS12(data, "", pw)
			return err == nil
		}
		if opens(demonode.DefaultPassword) {
			t.Errorf("%s opens with %q", path, demonode.DefaultPassword)
		}
		if !opens(password) {
			t.Errorf("%s does not open with the stored password", path)
		}
	}
}
