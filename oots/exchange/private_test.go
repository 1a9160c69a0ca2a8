package exchange_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/exchange"
)

// TestDataFolderIsPrivateWhateverExists: a data folder made by someone
// else with 0755, holding a 0644 file and a 0755 sub-folder, is made
// private at start; the database and its journal files are 0600.
func TestDataFolderIsPrivateWhateverExists(t *testing.T) {
	old := syscall.Umask(0o022) // as a user's shell leaves it
	defer syscall.Umask(old)
	dir := filepath.Join(t.TempDir(), "data")
	if err := os.MkdirAll(filepath.Join(dir, "spool"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "spool", "left-over"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := start(t, exchange.Config{DataDir: dir})
	healthWithin(t, s.URL(), 5*time.Second)
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s is %v", path, info.Mode().Perm())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, exchange.DatabaseFile)); err != nil {
		t.Fatal(err)
	}
}
