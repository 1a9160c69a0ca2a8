package launch

import (
	"os"

	"golang.org/x/sys/unix"
)

// evict drops the file at path from the page cache, so that the next
// start reads it from disk as an installed program's is read. Just
// written by the linker, a binary sits in the page cache in large folios,
// of which a start maps whole ones: 3.5–4 MiB more resident than the same
// binary read from disk (measured 2026-12-06: 150.7 against 146.6 MiB).
func evict(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return err
	}
	return unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED)
}
