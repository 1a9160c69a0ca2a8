//go:build !nodemo

package platforms

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/oots/demonet"
	"github.com/vienreiz/vienreiz/oots/requester/demonode"
	"github.com/vienreiz/vienreiz/platforms/secrets"
)

// TestDemoPasswordMadeOnceAndKept: the app's demo key-store password is
// random, made on first start, kept in the secret store (here its
// encrypted-file form) and the same on the next start.
func TestDemoPasswordMadeOnceAndKept(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secrets.enc")
	store, err := secrets.OpenFile(path, "1234")
	if err != nil {
		t.Fatal(err)
	}
	first, err := DemoPassword(store)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) < 40 || first == demonode.DefaultPassword {
		t.Fatalf("password %q: want a long random one", first)
	}
	again, err := secrets.OpenFile(path, "1234")
	if err != nil {
		t.Fatal(err)
	}
	if second, err := DemoPassword(again); err != nil || second != first {
		t.Fatalf("second start: %q, %v; want the kept %q", second, err, first)
	}
	other, err := secrets.OpenFile(filepath.Join(t.TempDir(), "secrets.enc"), "1234")
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := DemoPassword(other); p == first {
		t.Fatal("two installations got the same password")
	}
}

// TestServerTakesTheDemoPasswordFromAFile: the headless server reads the
// demo password from -demo-password-file (or VIENREIZ_DEMO_PASSWORD) and
// seals the embedded demo with it.
func TestServerTakesTheDemoPasswordFromAFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "demo-password")
	if err := os.WriteFile(file, []byte("from-the-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	f := ServiceFlags{DataDir: t.TempDir(), DemoPasswordFile: file}
	cfg, err := f.Config(quiet())
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := cfg.Network.(demonet.Embedded); !ok || e.Password != "from-the-file" {
		t.Fatalf("network %#v, want the embedded demo sealed with the file's password", cfg.Network)
	}
	empty := filepath.Join(t.TempDir(), "empty")
	os.WriteFile(empty, nil, 0o600)
	f = ServiceFlags{DataDir: t.TempDir(), DemoPasswordFile: empty}
	if _, err := f.Config(quiet()); err == nil {
		t.Fatal("an empty password file was accepted")
	}
}

// TestAppKeepsItsEvidenceKeyInTheSecretStore (issue 12 item 6): without
// -evidence-key-file the app makes a key on first start, keeps it in the
// secret store (here the PIN-sealed file, as on a desktop without a
// keyring) and encrypts evidence at rest with it; the next start gets the
// same key, and a key file given by the operator wins.
func TestAppKeepsItsEvidenceKeyInTheSecretStore(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "") // no OS keyring: the encrypted file
	t.Setenv("VIENREIZ_APP_PIN", "2468")
	dir := t.TempDir()
	start := func() []byte {
		f := ServiceFlags{DataDir: dir}
		if _, err := f.UseSecretStore(context.Background(), quiet(), nil); err != nil {
			t.Fatal(err)
		}
		cfg, err := f.Config(quiet())
		if err != nil {
			t.Fatal(err)
		}
		return cfg.EvidenceKey
	}
	first := start()
	if len(first) != 32 {
		t.Fatalf("evidence key of %d bytes, want 32", len(first))
	}
	if again := start(); !bytes.Equal(again, first) {
		t.Fatal("the second start got another evidence key: evidence stored before could not be read")
	}
	if _, err := os.Stat(filepath.Join(dir, "secrets.enc")); err != nil {
		t.Fatalf("the key is not in the encrypted secrets file: %v", err)
	}
	file := filepath.Join(t.TempDir(), "evidence.key")
	if err := os.WriteFile(file, []byte(strings.Repeat("ab", 32)), 0o600); err != nil {
		t.Fatal(err)
	}
	f := ServiceFlags{DataDir: dir, EvidenceKeyFile: file}
	if _, err := f.UseSecretStore(context.Background(), quiet(), nil); err != nil {
		t.Fatal(err)
	}
	cfg, err := f.Config(quiet())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(cfg.EvidenceKey, bytes.Repeat([]byte{0xab}, 32)) {
		t.Fatal("the operator's key file did not win over the kept key")
	}
}

// TestAppPINIsAskedWhereThereIsNoSecretStore (issue 13): without an OS
// secret store and without VIENREIZ_APP_PIN the app asks for its PIN — to
// choose one on the first start, to unlock on the next, again after a
// wrong one — and the secrets sealed under it are the same each start.
func TestAppPINIsAskedWhereThereIsNoSecretStore(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "") // no OS keyring: the encrypted file
	t.Setenv("VIENREIZ_APP_PIN", "")
	dir := t.TempDir()
	type asked struct {
		setting bool
		problem string
	}
	start := func(pins ...string) ([]byte, []asked) {
		t.Helper()
		var calls []asked
		ask := func(setting bool, problem string) (string, error) {
			calls = append(calls, asked{setting, problem})
			if len(calls) > len(pins) {
				t.Fatalf("asked %d times: %+v", len(calls), calls)
			}
			return pins[len(calls)-1], nil
		}
		f := ServiceFlags{DataDir: dir}
		store, err := f.UseSecretStore(context.Background(), quiet(), ask)
		if err != nil || store == nil {
			t.Fatalf("store %v, %v", store, err)
		}
		return f.EvidenceKey, calls
	}
	first, calls := start("246810")
	if len(calls) != 1 || !calls[0].setting || len(first) != 32 {
		t.Fatalf("first start asked %+v (key %d bytes), want one question to choose a PIN", calls, len(first))
	}
	again, calls := start("111111", "246810")
	if len(calls) != 2 || calls[0].setting || calls[1] != (asked{false, "wrong_pin"}) {
		t.Fatalf("next start asked %+v, want unlock, then again after the wrong PIN", calls)
	}
	if !bytes.Equal(again, first) {
		t.Fatal("the secrets unlocked with the PIN are not those of the first start")
	}
}
