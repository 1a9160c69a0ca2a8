package as4

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

// Part is one MIME attachment: its Content-ID (without "cid:" and angle
// brackets), the MIME type of the bytes Open returns, and Open, which may be
// called any number of times and returns the bytes from the start. It has
// the shape of wss.Part, so the two convert into each other.
type Part struct {
	ContentID   string
	ContentType string
	Open        func() (io.ReadCloser, error)
}

// BytesPart returns a Part over data held in memory (small payloads, tests).
func BytesPart(contentID, contentType string, data []byte) Part {
	return Part{ContentID: contentID, ContentType: contentType, Open: func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}}
}

// FilePart returns a Part over the file at path.
func FilePart(contentID, contentType, path string) Part {
	return Part{ContentID: contentID, ContentType: contentType, Open: func() (io.ReadCloser, error) {
		return os.Open(path)
	}}
}

// Spool hands out temporary files for payloads and removes them all on
// Cleanup. The zero value uses os.TempDir. It is safe for concurrent use.
type Spool struct {
	Dir string

	mu    sync.Mutex
	files []string
}

// File creates a new temporary file that Cleanup will remove.
func (s *Spool) File() (*os.File, error) {
	f, err := os.CreateTemp(s.Dir, "as4-spool-*")
	if err != nil {
		return nil, fmt.Errorf("spool file: %w", err)
	}
	s.mu.Lock()
	s.files = append(s.files, f.Name())
	s.mu.Unlock()
	return f, nil
}

// Cleanup removes every file the spool created.
func (s *Spool) Cleanup() error {
	s.mu.Lock()
	files := s.files
	s.files = nil
	s.mu.Unlock()
	var errs []error
	for _, f := range files {
		if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// spoolCopy writes r into a new spool file and returns a Part over it and
// the number of bytes written. It fails when more than limit bytes come
// (limit <= 0: no limit), returning errTooLarge.
func (s *Spool) spoolCopy(r io.Reader, limit int64, cid, ctype string) (Part, int64, error) {
	f, err := s.File()
	if err != nil {
		return Part{}, 0, err
	}
	src := r
	if limit > 0 {
		src = io.LimitReader(r, limit+1)
	}
	n, err := io.Copy(f, src)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Part{}, n, err
	}
	if limit > 0 && n > limit {
		return Part{}, n, fmt.Errorf("%w: more than %d bytes", errTooLarge, limit)
	}
	return FilePart(cid, ctype, f.Name()), n, nil
}

var errTooLarge = errors.New("size limit exceeded")
