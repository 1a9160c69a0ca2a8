package platforms

import (
	"bytes"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/oots/exchange"
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

// TestEachCitizenTokenIsItsOwnPerson: two citizen tokens are two demo
// citizens, as sign-in gives each person their own identity; more tokens
// than demo citizens are refused.
func TestEachCitizenTokenIsItsOwnPerson(t *testing.T) {
	tokens, err := demoTokens("citizen=aaaaaaaaaaaaaaaa,citizen=bbbbbbbbbbbbbbbb,clerk=cccccccccccccccc")
	if err != nil {
		t.Fatal(err)
	}
	a, b := tokens["aaaaaaaaaaaaaaaa"], tokens["bbbbbbbbbbbbbbbb"]
	if a.Subject == "" || a.Subject == b.Subject || a.Subject != exchange.DemoCitizen().Subject {
		t.Fatalf("citizens %q and %q: want two people, Jānis first", a.Subject, b.Subject)
	}
	many := strings.Repeat("citizen=0123456789abcdef,", 1)
	for i := range len(demoCitizens()) {
		many += fmt.Sprintf("citizen=token-number-%08d,", i)
	}
	if _, err := demoTokens(strings.TrimSuffix(many, ",")); err == nil {
		t.Fatal("more citizen tokens than demo citizens accepted")
	}
}

// TestDemoTokensFromFileOrEnvironmentWarnOnTheFlag: the tokens come from
// a file or the environment without a warning; on the command line they
// work with a warning that they are visible.
func TestDemoTokensFromFileOrEnvironmentWarnOnTheFlag(t *testing.T) {
	file := filepath.Join(t.TempDir(), "tokens")
	if err := os.WriteFile(file, []byte("citizen=0123456789abcdef\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		args []string
		env  string
		warn bool
	}{
		"file":         {args: []string{"-demo-tokens-file", file}},
		"environment":  {env: "citizen=0123456789abcdef"},
		"command line": {args: []string{"-demo-tokens", "citizen=0123456789abcdef"}, warn: true},
	} {
		t.Run(name, func(t *testing.T) {
			t.Setenv("VIENREIZ_DEMO_TOKENS", tc.env)
			var f ServiceFlags
			fs := flag.NewFlagSet("x", flag.ContinueOnError)
			f.Register(fs, "127.0.0.1:0")
			if err := fs.Parse(append(tc.args, "-data-dir", t.TempDir())); err != nil {
				t.Fatal(err)
			}
			var logs bytes.Buffer
			if _, err := f.Config(slog.New(slog.NewTextHandler(&logs, nil))); err != nil {
				t.Fatal(err)
			}
			tokens, err := demoTokens(f.DemoTokens)
			if err != nil || tokens["0123456789abcdef"].Subject != exchange.DemoCitizen().Subject {
				t.Fatalf("tokens %v, %v", tokens, err)
			}
			if warned := strings.Contains(logs.String(), "/proc/PID/cmdline"); warned != tc.warn {
				t.Fatalf("warning %v, want %v: %s", warned, tc.warn, logs.String())
			}
		})
	}
}
