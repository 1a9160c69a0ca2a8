package main

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHelpExplainsEveryFlag(t *testing.T) {
	var out bytes.Buffer
	if code := run([]string{"--help"}, &out); code != 0 {
		t.Fatalf("--help exit code %d", code)
	}
	for _, want := range []string{"backup", "backup-check", "restore", "-listen", "VIENREIZ_LISTEN", "-data-dir", "VIENREIZ_DATA_DIR", "-database", "postgres://", "-log-level"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, out.String())
		}
	}
}

func TestUnusableSettingsExitNonZeroWithAReason(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"port in use", []string{"-listen", busy.Addr().String(), "-data-dir", t.TempDir()}, 1, "cannot listen on"},
		{"data dir is a file", []string{"-data-dir", file}, 1, "data directory"},
		{"unknown log level", []string{"-log-level", "loud"}, 2, "-log-level"},
		{"unknown flag", []string{"-colour"}, 2, "flag provided but not defined"},
		// Both used to start the service, the word ignored.
		{"unknown command", []string{"bakup", "-data-dir", t.TempDir()}, 2, `unknown command "bakup"`},
		{"a word after the flags", []string{"-data-dir", t.TempDir(), "backup"}, 2, `unexpected "backup"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			if code := run(tt.args, &out); code != tt.code || !strings.Contains(out.String(), tt.want) {
				t.Fatalf("exit %d, output %q; want %d and %q", code, out.String(), tt.code, tt.want)
			}
		})
	}
}
