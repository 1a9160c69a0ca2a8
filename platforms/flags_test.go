package platforms

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDemoTokens(t *testing.T) {
	tokens, err := demoTokens("citizen=0123456789abcdef, clerk=fedcba9876543210")
	if err != nil {
		t.Fatal(err)
	}
	if tokens["0123456789abcdef"].IsClerk() || !tokens["fedcba9876543210"].IsClerk() {
		t.Fatalf("roles wrong: %+v", tokens)
	}
	if none, err := demoTokens(""); err != nil || len(none) != 0 {
		t.Errorf(`demoTokens("") = %v, %v; want none`, none, err)
	}
	for _, bad := range []string{"admin=0123456789abcdef", "citizen=short", "citizen", ","} {
		if _, err := demoTokens(bad); err == nil || !strings.Contains(err.Error(), "-demo-tokens") {
			t.Errorf("%q: error = %v", bad, err)
		}
	}
}

func TestEvidenceKeyFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good")
	os.WriteFile(good, []byte(strings.Repeat("ab", 32)+"\n"), 0o600)
	bad := filepath.Join(dir, "bad")
	os.WriteFile(bad, []byte("abcd"), 0o600)
	f := ServiceFlags{DataDir: dir, EvidenceKeyFile: good}
	cfg, err := f.Config(nil)
	if err != nil || len(cfg.EvidenceKey) != 32 || cfg.EvidenceKey[0] != 0xab {
		t.Fatalf("good key file: %v, key %x", err, cfg.EvidenceKey)
	}
	f.EvidenceKeyFile = bad
	if _, err := f.Config(nil); err == nil || !strings.Contains(err.Error(), "64 hex digits") {
		t.Fatalf("short key: %v", err)
	}
}
