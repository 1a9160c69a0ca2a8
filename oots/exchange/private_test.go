package exchange

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestMakePrivateWhileFilesVanish: a file removed while makePrivate walks
// the data folder (SQLite removes its -shm and -wal files as a database
// closes) needs no permissions changed and is no error. A CI run failed
// to start a service with "lstat …/vienreiz.db-shm: no such file or
// directory". Each round removes the files while the walk runs.
func TestMakePrivateWhileFilesVanish(t *testing.T) {
	dir := t.TempDir()
	for round := range 200 {
		for i := range 50 {
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d", i)), nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		removed := make(chan struct{})
		go func() {
			defer close(removed)
			for i := range 50 {
				os.Remove(filepath.Join(dir, fmt.Sprintf("f%d", i)))
			}
		}()
		err := makePrivate(dir)
		<-removed
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "kept"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := makePrivate(dir); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(filepath.Join(dir, "kept"))
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Fatalf("a file that stays is %v, want 0600", perm)
	}
}
