package secrets

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// inSessionEnv is set by TestKeyringWithGnomeKeyring for the copy of the
// test binary it starts inside a D-Bus session with gnome-keyring.
const inSessionEnv = "VIENREIZ_SECRETS_IN_GNOME_KEYRING"

// needTool returns the path of a program the test needs. CI installs it
// (Makefile TEST_PACKAGES), so there a missing one fails the test.
func needTool(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is missing (Debian package %s; make deps-test installs it)", name, pkg)
	}
	t.Skipf("%s is missing (apt-get install %s, or make deps-test)", name, pkg)
	return ""
}

// TestKeyringWithGnomeKeyring runs TestKeyringInSession in a fresh D-Bus
// session (dbus-run-session) with a gnome-keyring daemon unlocked in it, the
// secret store of a GNOME desktop, and a private home folder.
func TestKeyringWithGnomeKeyring(t *testing.T) {
	if os.Getenv(inSessionEnv) != "" {
		t.Skip("already inside the session")
	}
	dbusRun := needTool(t, "dbus-run-session", "dbus-daemon")
	needTool(t, "gnome-keyring-daemon", "gnome-keyring")
	needTool(t, "secret-tool", "libsecret-tools")

	home := t.TempDir()
	runtimeDir := filepath.Join(home, "run")
	if err := os.Mkdir(runtimeDir, 0o700); err != nil {
		t.Fatal(err)
	}
	// gnome-keyring-daemon --unlock reads the login keyring's password on
	// standard input, creates the keyring and unlocks it, then stays in the
	// background until the session bus ends with the test.
	script := `printf %s test-login-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 1; exec "$@"`
	cmd := exec.Command(dbusRun, "--", "sh", "-c", script, "sh",
		os.Args[0], "-test.run=^TestKeyringInSession$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(),
		inSessionEnv+"=1",
		"HOME="+home,
		"XDG_RUNTIME_DIR="+runtimeDir,
		"XDG_DATA_HOME="+filepath.Join(home, "data"),
		"XDG_CONFIG_HOME="+filepath.Join(home, "config"),
	)
	out, err := cmd.CombinedOutput()
	t.Logf("inside the session:\n%s", out)
	if err != nil {
		t.Fatalf("the test inside the session failed: %v", err)
	}
	if !strings.Contains(string(out), "--- PASS: TestKeyringInSession") {
		t.Fatal("TestKeyringInSession did not pass inside the session")
	}
}

// TestKeyringInSession is started by TestKeyringWithGnomeKeyring; it uses
// the session's gnome-keyring through Open and checks each write with
// libsecret's secret-tool, an independent client of the same store.
func TestKeyringInSession(t *testing.T) {
	if os.Getenv(inSessionEnv) == "" {
		t.Skip("run by TestKeyringWithGnomeKeyring inside a D-Bus session")
	}
	const service = "vienreiz-test"
	s, err := Open(context.Background(), Options{
		Service:  service,
		FilePath: filepath.Join(t.TempDir(), "secrets.json"),
		PIN: func() (string, error) {
			t.Error("asked for a PIN although gnome-keyring is running")
			return "", errors.New("no PIN")
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.(Keyring); !ok {
		t.Fatalf("Open returned %T, want Keyring", s)
	}
	lookup := func(name string) (string, bool) {
		out, err := exec.Command("secret-tool", "lookup", "service", service, "username", name).Output()
		return string(out), err == nil
	}

	if _, err := s.Get("oidc/refresh"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get before Set: %v, want ErrNotFound", err)
	}
	if err := s.Set("oidc/refresh", "rt-1"); err != nil {
		t.Fatal(err)
	}
	if err := s.Set("oidc/refresh", "rt-2 ✓"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get("oidc/refresh"); err != nil || got != "rt-2 ✓" {
		t.Errorf("Get = %q, %v; want rt-2 ✓", got, err)
	}
	if got, ok := lookup("oidc/refresh"); !ok || got != "rt-2 ✓" {
		t.Errorf("secret-tool sees %q (found %v), want rt-2 ✓", got, ok)
	}

	// A secret written by another client is read back.
	store := exec.Command("secret-tool", "store", "--label", "from secret-tool", "service", service, "username", "keystore/password")
	store.Stdin = strings.NewReader("written-outside")
	if out, err := store.CombinedOutput(); err != nil {
		t.Fatalf("secret-tool store: %v: %s", err, out)
	}
	if got, err := s.Get("keystore/password"); err != nil || got != "written-outside" {
		t.Errorf("Get of an item stored by secret-tool = %q, %v", got, err)
	}

	if err := s.Delete("oidc/refresh"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete("oidc/refresh"); err != nil {
		t.Errorf("second Delete: %v", err)
	}
	if _, err := s.Get("oidc/refresh"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get after Delete: %v, want ErrNotFound", err)
	}
	if got, ok := lookup("oidc/refresh"); ok {
		t.Errorf("secret-tool still finds %q after Delete", got)
	}
}
