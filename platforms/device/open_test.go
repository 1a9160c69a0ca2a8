//go:build unix

package device

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// script writes an executable shell script with body into a temporary
// folder and returns its path.
func script(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "opener")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestOpenerTellsWhenNoAppOpensTheFile: xdg-open that finds no app for a
// file ends with status 3 and says so on its standard error; the app was
// not told (Fyne's opener does not wait for it). The opener reports it,
// with xdg-open's last line; an opener that succeeds, or is still running
// the viewer after the wait, is no failure.
func TestOpenerTellsWhenNoAppOpensTheFile(t *testing.T) {
	failing := script(t, `echo "$0: 882: epiphany: not found" >&2; echo "xdg-open: no method available for opening '$1'" >&2; exit 3`)
	err := runOpener(failing, "file:///tmp/a.pdf", 5*time.Second)
	if err == nil || !strings.Contains(err.Error(), "exit status 3") || !strings.Contains(err.Error(), "no method available for opening 'file:///tmp/a.pdf'") {
		t.Fatalf("a failing xdg-open gave %v", err)
	}
	if err := runOpener(script(t, "exit 0"), "file:///tmp/a.pdf", 5*time.Second); err != nil {
		t.Fatalf("an xdg-open that opened the file gave %v", err)
	}
	start := time.Now()
	if err := runOpener(script(t, "sleep 10"), "file:///tmp/a.pdf", 200*time.Millisecond); err != nil {
		t.Fatalf("a viewer still running gave %v", err)
	}
	if waited := time.Since(start); waited > 5*time.Second {
		t.Fatalf("the opener waited %v for a viewer that keeps running", waited)
	}
	if err := runOpener(filepath.Join(t.TempDir(), "missing"), "x", time.Second); err == nil {
		t.Fatal("a missing opener gave no error")
	}
}

// TestLastLinesKeepsTheEnd: a chatty opener's standard error is cut to
// its last bytes, and the last line that is not empty is named.
func TestLastLinesKeepsTheEnd(t *testing.T) {
	l := &lastLines{max: 16}
	l.Write([]byte(strings.Repeat("noise\n", 100)))
	l.Write([]byte("the end\n\n"))
	if len(l.buf) > 16 || l.last() != "the end" {
		t.Fatalf("kept %q, last line %q", l.buf, l.last())
	}
}
