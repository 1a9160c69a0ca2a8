package device

import (
	"path/filepath"
	"testing"
)

// TestDataDirOnEachSystem: VIENREIZ_DATA_DIR wins everywhere; Android,
// which gives an app no home folder, keeps the data in the app's private
// files folder (FILESDIR, set by Fyne's driver); Linux follows XDG.
func TestDataDirOnEachSystem(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, c := range []struct {
		goos string
		env  func(string) string
		want string // "" when it must fail
	}{
		{"android", env("FILESDIR", "/data/user/0/lv.vienreiz.app/files"), "/data/user/0/lv.vienreiz.app/files/vienreiz"},
		{"android", env("HOME", "/"), ""},
		{"android", env(DataDirEnv, "/sdcard/v", "FILESDIR", "/data/f"), "/sdcard/v"},
		{"linux", env("XDG_DATA_HOME", "/home/a/.data", "HOME", "/home/a"), "/home/a/.data/vienreiz"},
		{"linux", env("HOME", "/home/a"), "/home/a/.local/share/vienreiz"},
		{"linux", env("XDG_DATA_HOME", "relative", "HOME", "/home/a"), "/home/a/.local/share/vienreiz"},
		{"freebsd", env(), ""},
	} {
		got, err := dataDirOn(c.goos, c.env)
		if c.want == "" {
			if err == nil {
				t.Errorf("%s: %q, want an error", c.goos, got)
			}
			continue
		}
		if err != nil || got != filepath.FromSlash(c.want) {
			t.Errorf("%s: %q, %v, want %q", c.goos, got, err, c.want)
		}
	}
}
