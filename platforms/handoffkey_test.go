package platforms

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHandoffKeyFromFileOrSecretStore: the app's embedded service signs
// handoff links with a key made on first start and kept in the secret
// store (the same on the next start); the server takes it from
// -handoff-key-file, which wins over the kept one; a malformed file is
// named.
func TestHandoffKeyFromFileOrSecretStore(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "") // no OS keyring: the encrypted file
	t.Setenv("VIENREIZ_APP_PIN", "2468")
	dir := t.TempDir()
	start := func(keyFile string) ([]byte, error) {
		f := ServiceFlags{DataDir: dir, HandoffKeyFile: keyFile}
		if _, err := f.UseSecretStore(context.Background(), quiet(), nil); err != nil {
			t.Fatal(err)
		}
		cfg, err := f.Config(quiet())
		return cfg.HandoffKey, err
	}
	first, err := start("")
	if err != nil || len(first) != 32 {
		t.Fatalf("handoff key %x, %v; want 32 bytes", first, err)
	}
	if again, _ := start(""); !bytes.Equal(again, first) {
		t.Fatal("the second start got another handoff key: links made before it would be refused")
	}
	file := filepath.Join(t.TempDir(), "handoff.key")
	os.WriteFile(file, []byte(strings.Repeat("cd", 32)+"\n"), 0o600)
	if key, err := start(file); err != nil || !bytes.Equal(key, bytes.Repeat([]byte{0xcd}, 32)) {
		t.Fatalf("the operator's key file: %x %v", key, err)
	}
	os.WriteFile(file, []byte("cdcd"), 0o600)
	if _, err := start(file); err == nil || !strings.Contains(err.Error(), "-handoff-key-file") {
		t.Fatalf("a malformed key file: %v", err)
	}
}
