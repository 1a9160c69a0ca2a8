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

// Spool hands out temporary files for payloads and releases them all on
// Cleanup. Payloads up to MemLimit bytes stay in memory; larger ones go to
// files in Dir. Files are unlinked as soon as they are created where the
// system allows it (nothing is left behind by a crash) and, with a
// FilePool, reused: creating and deleting a file costs ten times more than
// truncating one. The zero value uses os.TempDir and DefaultMemLimit. It is
// safe for concurrent use.
type Spool struct {
	Dir      string
	MemLimit int       // <= 0: DefaultMemLimit
	Pool     *FilePool // optional

	mu    sync.Mutex
	files []spoolFile
}

type spoolFile struct {
	f        *os.File
	unlinked bool
}

// FilePool keeps emptied, unlinked spool files for reuse by Spools. The
// zero value keeps up to 16 files. It is safe for concurrent use.
type FilePool struct {
	Max int

	mu   sync.Mutex
	free []*os.File
}

func (p *FilePool) get() *os.File {
	if p == nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.free); n > 0 {
		f := p.free[n-1]
		p.free = p.free[:n-1]
		return f
	}
	return nil
}

// put empties f and keeps it, or closes it when the pool is full or f is
// no longer usable.
func (p *FilePool) put(f *os.File) {
	max := 16
	if p.Max > 0 {
		max = p.Max
	}
	if f.Truncate(0) != nil {
		f.Close()
		return
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.free) >= max {
		f.Close()
		return
	}
	p.free = append(p.free, f)
}

// Close closes the pooled files.
func (p *FilePool) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, f := range p.free {
		f.Close()
	}
	p.free = nil
	return nil
}

// File returns an empty temporary file, open for reading and writing,
// that Cleanup will close and remove. Use it through its handle: the file
// may have no name.
func (s *Spool) File() (*os.File, error) {
	if f := s.Pool.get(); f != nil {
		s.mu.Lock()
		s.files = append(s.files, spoolFile{f: f, unlinked: true})
		s.mu.Unlock()
		return f, nil
	}
	f, err := os.CreateTemp(s.Dir, "as4-spool-*")
	if err != nil {
		return nil, fmt.Errorf("spool file: %w", err)
	}
	sf := spoolFile{f: f, unlinked: os.Remove(f.Name()) == nil}
	s.mu.Lock()
	s.files = append(s.files, sf)
	s.mu.Unlock()
	return f, nil
}

// Cleanup releases every file the spool handed out: back to the pool, or
// closed and removed.
func (s *Spool) Cleanup() error {
	s.mu.Lock()
	files := s.files
	s.files = nil
	s.mu.Unlock()
	var errs []error
	for _, sf := range files {
		if sf.unlinked && s.Pool != nil {
			s.Pool.put(sf.f)
			continue
		}
		sf.f.Close()
		if !sf.unlinked {
			if err := os.Remove(sf.f.Name()); err != nil && !errors.Is(err, os.ErrNotExist) {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// handlePart returns a Part reading the first size bytes of f through its
// handle (the file may be unlinked).
func handlePart(contentID, contentType string, f *os.File, size int64) Part {
	return Part{ContentID: contentID, ContentType: contentType, Open: func() (io.ReadCloser, error) {
		return io.NopCloser(io.NewSectionReader(f, 0, size)), nil
	}}
}

// DefaultMemLimit is the size up to which a spooled payload stays in memory.
const DefaultMemLimit = 256 << 10

// spoolCopy copies r into the spool and returns a Part over the copy and
// the number of bytes written. It fails when more than limit bytes come
// (limit <= 0: no limit), returning errTooLarge.
func (s *Spool) spoolCopy(r io.Reader, limit int64, cid, ctype string) (Part, int64, error) {
	w := s.writer()
	src := r
	if limit > 0 {
		src = io.LimitReader(r, limit+1)
	}
	n, err := io.Copy(w, src)
	if err != nil {
		w.abort()
		return Part{}, n, err
	}
	if limit > 0 && n > limit {
		w.abort()
		return Part{}, n, fmt.Errorf("%w: more than %d bytes", errTooLarge, limit)
	}
	p, err := w.part(cid, ctype)
	return p, n, err
}

// spoolWriter buffers in memory up to the spool's MemLimit and moves to a
// spool file beyond it.
type spoolWriter struct {
	s     *Spool
	limit int
	buf   bytes.Buffer
	f     *os.File
	n     int64
}

func (s *Spool) writer() *spoolWriter {
	limit := s.MemLimit
	if limit <= 0 {
		limit = DefaultMemLimit
	}
	return &spoolWriter{s: s, limit: limit}
}

func (w *spoolWriter) Write(p []byte) (int, error) {
	if w.f == nil {
		if w.buf.Len()+len(p) <= w.limit {
			return w.buf.Write(p)
		}
		f, err := w.s.File()
		if err != nil {
			return 0, err
		}
		w.f = f
		if _, err := f.Write(w.buf.Bytes()); err != nil {
			return 0, fmt.Errorf("spool write: %w", err)
		}
		w.n = int64(w.buf.Len())
		w.buf = bytes.Buffer{}
	}
	n, err := w.f.Write(p)
	w.n += int64(n)
	if err != nil {
		err = fmt.Errorf("spool write: %w", err)
	}
	return n, err
}

// ReadFrom copies r without io.Copy's 32 KiB buffer while the data fits
// in memory; beyond, the rest goes to the file with one buffer.
func (w *spoolWriter) ReadFrom(r io.Reader) (int64, error) {
	var total int64
	if w.f == nil {
		room := int64(w.limit - w.buf.Len())
		n, err := w.buf.ReadFrom(io.LimitReader(r, room+1))
		total += n
		if err != nil {
			return total, err
		}
		if n <= room {
			return total, nil // everything fit
		}
		// One byte too many: move to a file and continue there.
		extra := w.buf.Bytes()[w.buf.Len()-1:]
		last := extra[0]
		w.buf.Truncate(w.buf.Len() - 1)
		if _, err := w.Write([]byte{last}); err != nil {
			return total, err
		}
		if w.buf.Len() > 0 || w.f == nil {
			return total, errors.New("spool: internal state")
		}
	}
	n, err := io.CopyBuffer(onlyWriter{w}, r, make([]byte, 64<<10))
	return total + n, err
}

// onlyWriter hides ReadFrom so io.CopyBuffer uses the given buffer.
type onlyWriter struct{ w io.Writer }

func (o onlyWriter) Write(p []byte) (int, error) { return o.w.Write(p) }

// part finishes the copy and returns a Part over it.
func (w *spoolWriter) part(cid, ctype string) (Part, error) {
	if w.f == nil {
		return BytesPart(cid, ctype, w.buf.Bytes()), nil
	}
	return handlePart(cid, ctype, w.f, w.n), nil
}

// abort drops a copy that will not be used (Cleanup releases the file).
func (w *spoolWriter) abort() {
	w.buf = bytes.Buffer{}
}

var errTooLarge = errors.New("size limit exceeded")
