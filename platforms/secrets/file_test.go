package secrets

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testKDF keeps key derivation cheap in tests; TestFileDefaultCosts uses
// the real costs once.
var testKDF = kdfParams{Time: 1, MemoryKiB: 64, Threads: 1}

func openTest(t *testing.T, path, pin string) *File {
	t.Helper()
	f, err := openFile(path, pin, testKDF)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	return f
}

func TestFileKeepsSecretsAcrossOpens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "secrets.json")
	f := openTest(t, path, "4321")
	if _, err := f.Get("oidc/refresh"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get on a new file: %v, want ErrNotFound", err)
	}
	if err := f.Set("oidc/refresh", "rt-1"); err != nil {
		t.Fatal(err)
	}
	if err := f.Set("keystore/password", "pässwörd ✓"); err != nil {
		t.Fatal(err)
	}
	if err := f.Set("oidc/refresh", "rt-2"); err != nil {
		t.Fatal(err)
	}

	g := openTest(t, path, "4321")
	for name, want := range map[string]string{"oidc/refresh": "rt-2", "keystore/password": "pässwörd ✓"} {
		if got, err := g.Get(name); err != nil || got != want {
			t.Errorf("after reopening, Get(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
	if err := g.Delete("oidc/refresh"); err != nil {
		t.Fatal(err)
	}
	if err := g.Delete("never-set"); err != nil {
		t.Errorf("deleting a missing secret: %v", err)
	}
	h := openTest(t, path, "4321")
	if _, err := h.Get("oidc/refresh"); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted secret still there: %v", err)
	}
	if v, _ := h.Get("keystore/password"); v != "pässwörd ✓" {
		t.Errorf("the other secret was lost: %q", v)
	}
}

func TestFileIsEncryptedAndPrivate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secrets", "secrets.json")
	f := openTest(t, path, "4321")
	if err := f.Set("oidc/refresh", "very-secret-refresh-token"); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, clear := range []string{"very-secret-refresh-token", "oidc/refresh", "4321"} {
		if bytes.Contains(raw, []byte(clear)) {
			t.Errorf("the file holds %q in clear", clear)
		}
	}
	for p, want := range map[string]os.FileMode{path: 0o600, filepath.Dir(path): 0o700} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Mode().Perm(); got != want {
			t.Errorf("%s mode %v, want %v", p, got, want)
		}
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*.tmp"))
	if len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestFileRefusesWrongPINAndChangesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secrets.json")
	f := openTest(t, path, "4321")
	if err := f.Set("a", "1"); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	if _, err := openFile(path, "1234", testKDF); !errors.Is(err, ErrWrongPIN) {
		t.Fatalf("wrong PIN: %v, want ErrWrongPIN", err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("a refused open changed the file")
	}
	if _, err := openFile(path, "", testKDF); err == nil {
		t.Error("an empty PIN was accepted")
	}
}

func TestFileDetectsTampering(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secrets.json")
	f := openTest(t, path, "4321")
	if err := f.Set("a", "1"); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	tamper := map[string]func(c *fileContents){
		"ciphertext bit": func(c *fileContents) { c.Ciphertext[0] ^= 1 },
		"nonce":          func(c *fileContents) { c.Nonce[0] ^= 1 },
		"kdf cost":       func(c *fileContents) { c.KDF.Time++ },
		"salt":           func(c *fileContents) { c.KDF.Salt[0] ^= 1 },
	}
	for name, change := range tamper {
		t.Run(name, func(t *testing.T) {
			var c fileContents
			if err := json.Unmarshal(raw, &c); err != nil {
				t.Fatal(err)
			}
			change(&c)
			out, _ := json.Marshal(c)
			p := filepath.Join(t.TempDir(), "secrets.json")
			if err := os.WriteFile(p, out, 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := openFile(p, "4321", testKDF); !errors.Is(err, ErrWrongPIN) {
				t.Errorf("tampered %s: %v, want ErrWrongPIN", name, err)
			}
		})
	}
}

func TestFileRefusesForeignFiles(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]string{
		"not json":     "hello",
		"other format": `{"format":"something-else"}`,
		"huge memory":  `{"format":"` + fileFormat + `","kdf":{"time":1,"memory_kib":4000000000,"threads":1,"salt":"AAAAAAAAAAAAAAAAAAAAAA=="}}`,
		"no salt":      `{"format":"` + fileFormat + `","kdf":{"time":1,"memory_kib":64,"threads":1}}`,
	}
	for name, content := range cases {
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "-"))
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := openFile(p, "4321", testKDF)
		if err == nil || errors.Is(err, ErrWrongPIN) {
			t.Errorf("%s: %v, want a clear format error", name, err)
		}
		if got, _ := os.ReadFile(p); string(got) != content {
			t.Errorf("%s: the file was changed", name)
		}
	}
}

func TestFileChangePIN(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secrets.json")
	f := openTest(t, path, "4321")
	if err := f.Set("a", "1"); err != nil {
		t.Fatal(err)
	}
	if err := f.ChangePIN("987654"); err != nil {
		t.Fatal(err)
	}
	if err := f.Set("b", "2"); err != nil {
		t.Fatal(err)
	}
	if _, err := openFile(path, "4321", testKDF); !errors.Is(err, ErrWrongPIN) {
		t.Errorf("old PIN after a change: %v, want ErrWrongPIN", err)
	}
	g := openTest(t, path, "987654")
	if a, _ := g.Get("a"); a != "1" {
		t.Errorf("a = %q after the PIN change", a)
	}
	if b, _ := g.Get("b"); b != "2" {
		t.Errorf("b = %q after the PIN change", b)
	}
}

func TestFileDefaultCosts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secrets.json")
	f, err := OpenFile(path, "4321")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Set("a", "1"); err != nil {
		t.Fatal(err)
	}
	var c fileContents
	raw, _ := os.ReadFile(path)
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	if c.KDF.Time != defaultKDF.Time || c.KDF.MemoryKiB != defaultKDF.MemoryKiB {
		t.Errorf("file written with costs %+v, want %+v", c.KDF, defaultKDF)
	}
	g, err := OpenFile(path, "4321")
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := g.Get("a"); a != "1" {
		t.Errorf("a = %q", a)
	}
}

// TestOpenFallsBackToFile: with no secret service on the session bus, Open
// asks for the PIN and returns the encrypted file.
func TestOpenFallsBackToFile(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(dir, "no-bus"))
	asked := 0
	s, err := Open(context.Background(), Options{
		Service:  "vienreiz-test",
		FilePath: filepath.Join(dir, "secrets.json"),
		PIN:      func() (string, error) { asked++; return "4321", nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.(*File); !ok {
		t.Fatalf("Open returned %T, want *File", s)
	}
	if asked != 1 {
		t.Errorf("PIN asked %d times, want 1", asked)
	}
	if err := s.Set("a", "1"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "secrets.json")); err != nil {
		t.Errorf("no encrypted file: %v", err)
	}

	if _, err := Open(context.Background(), Options{Service: "vienreiz-test"}); err == nil {
		t.Error("Open without a secret service nor a file succeeded")
	}
}

func FuzzOpenFile(f *testing.F) {
	dir := f.TempDir()
	good := filepath.Join(dir, "good.json")
	s, err := openFile(good, "4321", testKDF)
	if err != nil {
		f.Fatal(err)
	}
	if err := s.Set("a", "1"); err != nil {
		f.Fatal(err)
	}
	raw, _ := os.ReadFile(good)
	f.Add(raw)
	f.Add([]byte(`{"format":"` + fileFormat + `"}`))
	f.Add([]byte("{}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "s.json")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := openFile(p, "4321", testKDF)
		if err == nil && s.secrets == nil {
			t.Error("opened without a secrets map")
		}
	})
}

// TestOpenDoesNotStartASessionBus: without a session bus, Open falls back
// to the file without running dbus-launch (which would leave a D-Bus daemon
// behind on every start).
func TestOpenDoesNotStartASessionBus(t *testing.T) {
	dir := t.TempDir()
	marker := filepath.Join(dir, "dbus-launch-ran")
	fake := filepath.Join(dir, "dbus-launch")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\ntouch "+marker+"\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", filepath.Join(dir, "run"))
	s, err := Open(context.Background(), Options{
		Service:  "vienreiz-test",
		FilePath: filepath.Join(dir, "secrets.json"),
		PIN:      func() (string, error) { return "4321", nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.(*File); !ok {
		t.Fatalf("Open returned %T, want *File", s)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("Open ran dbus-launch")
	}
}

// TestFileCheckPIN: the re-lock's check takes the file's PIN and no other,
// and changes nothing.
func TestFileCheckPIN(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secrets.enc")
	f, err := openFile(path, "246810", testKDF)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Set("a", "b"); err != nil {
		t.Fatal(err)
	}
	if !f.CheckPIN("246810") || f.CheckPIN("111111") {
		t.Fatal("CheckPIN does not tell the file's PIN from another")
	}
	if v, err := f.Get("a"); err != nil || v != "b" {
		t.Fatalf("after the checks: %q, %v", v, err)
	}
}
