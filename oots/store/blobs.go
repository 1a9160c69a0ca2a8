package store

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Evidence documents are kept out of the evidence rows, which only name
// where the bytes are ("blob"): on SQLite in a content-addressed folder
// beside the database file ("file:NAME"), on PostgreSQL as large objects
// ("lo:OID"), so that every service process sharing the database reaches
// them. Both are written and read as streams.

// blobStore keeps the bytes of evidence documents.
type blobStore interface {
	// put makes a new blob of what write writes and returns its
	// reference; write returns the blob's content address.
	put(ctx context.Context, write func(io.Writer) (name string, err error)) (ref string, err error)
	// open returns the blob's bytes, seekable; size is the blob's length
	// as stored.
	open(ctx context.Context, ref string, size int64) (io.ReadSeekCloser, error)
}

// fileBlobs keeps blobs as files named by content address in dir.
type fileBlobs struct{ dir string }

// UnfinishedBlobPrefix starts the name of an evidence file being written;
// it is renamed to its content address when whole (a backup skips it).
const UnfinishedBlobPrefix = ".new-"

func (f fileBlobs) path(name string) string {
	return filepath.Join(f.dir, name[:2], name)
}

func (f fileBlobs) put(_ context.Context, write func(io.Writer) (string, error)) (string, error) {
	if err := os.MkdirAll(f.dir, 0o700); err != nil {
		return "", fmt.Errorf("store: evidence folder: %w", err)
	}
	tmp, err := os.CreateTemp(f.dir, UnfinishedBlobPrefix+"*")
	if err != nil {
		return "", fmt.Errorf("store: evidence file: %w", err)
	}
	defer os.Remove(tmp.Name()) // after the rename, a no-op
	name, err := write(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil && (len(name) < 8 || strings.ContainsAny(name, `/\.`)) {
		err = fmt.Errorf("bad blob name %q", name)
	}
	if err == nil {
		err = os.MkdirAll(filepath.Dir(f.path(name)), 0o700)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), f.path(name))
	}
	if err != nil {
		return "", fmt.Errorf("store: evidence file: %w", err)
	}
	return "file:" + name, nil
}

func (f fileBlobs) open(_ context.Context, ref string, _ int64) (io.ReadSeekCloser, error) {
	name, ok := strings.CutPrefix(ref, "file:")
	if !ok || len(name) < 8 || strings.ContainsAny(name, `/\.`) {
		return nil, fmt.Errorf("store: evidence reference %q is not a file of this store", ref)
	}
	file, err := os.Open(f.path(name))
	if err != nil {
		return nil, fmt.Errorf("store: evidence file: %w", err)
	}
	return file, nil
}

// loChunk is how much of a large object one lo_get reads.
const loChunk = 1 << 20
