package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/internal/buildinfo"
)

// TestMain lets a test run the command itself in a child process (with
// its own environment, as a user's shell starts it).
func TestMain(m *testing.M) {
	if os.Getenv("VIENREIZ_TEST_RUN_MAIN") == "1" {
		os.Exit(run(os.Args[1:], os.Stderr))
	}
	os.Exit(m.Run())
}

// TestHelpIsQuietUnderTheCLocale (defect 8): Debian's default
// LANG=C.UTF-8 made Fyne print "Error parsing user locale C" on every
// start, even before -help.
func TestHelpIsQuietUnderTheCLocale(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-help")
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE":
		default:
			env = append(env, kv)
		}
	}
	cmd.Env = append(env, "LANG=C.UTF-8", "VIENREIZ_TEST_RUN_MAIN=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("vienreiz -help: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "Usage:") {
		t.Fatalf("no usage in:\n%s", out.String())
	}
	if strings.Contains(out.String(), "Fyne error") || strings.Contains(out.String(), "locale") {
		t.Fatalf("vienreiz -help under LANG=C.UTF-8 printed an error:\n%s", out.String())
	}
}

// TestVersionNamesTheBuild: About said "(devel)" and nothing else under
// make run (go run stamps no commit), so a report could not say which
// build it came from. -version prints what About shows and exits (the
// commit: internal/buildinfo's test, and scripts/test.sh of a real build).
func TestVersionNamesTheBuild(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-version")
	cmd.Env = append(os.Environ(), "VIENREIZ_TEST_RUN_MAIN=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("vienreiz -version: %v\n%s", err, out)
	}
	if got, want := strings.TrimSpace(string(out)), "vienreiz "+buildinfo.Version(); got != want {
		t.Fatalf("vienreiz -version printed %q, want %q", got, want)
	}
}
