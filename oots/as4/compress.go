package as4

import (
	"fmt"
	"io"
	"sync"

	"github.com/klauspost/compress/gzip"
)

// Compress gzips p into the spool and returns the compressed part with
// Content-Type application/gzip, same Content-ID. The caller records the
// original MIME type in the MimeType part property and sets
// CompressionType to application/gzip (see CompressedPartInfo).
func Compress(p Part, spool *Spool) (Part, error) {
	return compressWith(nil, p, spool)
}

// gzipPool keeps up to two idle gzip writers (each holds about 1 MiB of
// tables). A sync.Pool loses them at every other GC, which with small
// messages happens every few round trips.
type gzipPool struct {
	mu   sync.Mutex
	free []*gzip.Writer
}

func (g *gzipPool) get(w io.Writer) *gzip.Writer {
	g.mu.Lock()
	if n := len(g.free); n > 0 {
		zw := g.free[n-1]
		g.free = g.free[:n-1]
		g.mu.Unlock()
		zw.Reset(w)
		return zw
	}
	g.mu.Unlock()
	zw, _ := gzip.NewWriterLevel(w, gzip.DefaultCompression) // the level is valid
	return zw
}

func (g *gzipPool) put(zw *gzip.Writer) {
	zw.Reset(io.Discard) // drop the reference to the spool
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.free) < 2 {
		g.free = append(g.free, zw)
	}
}

// compressWith is Compress with writers from pool (nil: no reuse).
func compressWith(pool *gzipPool, p Part, spool *Spool) (Part, error) {
	if pool == nil {
		pool = &gzipPool{}
	}
	rc, err := p.Open()
	if err != nil {
		return Part{}, fmt.Errorf("compress %s: open: %w", p.ContentID, err)
	}
	defer rc.Close()
	w := spool.writer()
	zw := pool.get(w)
	defer pool.put(zw)
	_, err = io.Copy(zw, rc)
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		w.abort()
		return Part{}, fmt.Errorf("compress %s: %w", p.ContentID, err)
	}
	out, err := w.part(p.ContentID, MimeGzip)
	if err != nil {
		return Part{}, fmt.Errorf("compress %s: %w", p.ContentID, err)
	}
	return out, nil
}

// gunzips keeps idle gzip readers: a new one allocates its 32 KiB window,
// most of what receiving a small message allocated.
var gunzips sync.Pool

// Decompress gunzips p into the spool, refusing more than limit bytes
// of output (a decompression bomb), and returns the plain part with
// Content-Type mimeType. Failures are EBMS:0303 DecompressionFailure.
func Decompress(p Part, mimeType string, limit int64, spool *Spool) (Part, error) {
	rc, err := p.Open()
	if err != nil {
		return Part{}, ErrDecompressionFailure.Withf("", "part %s: open: %v", p.ContentID, err)
	}
	defer rc.Close()
	zr, _ := gunzips.Get().(*gzip.Reader)
	if zr == nil {
		zr, err = gzip.NewReader(rc)
	} else {
		err = zr.Reset(rc)
	}
	if err != nil {
		return Part{}, ErrDecompressionFailure.Withf("", "part %s: not gzip: %v", p.ContentID, err)
	}
	defer gunzips.Put(zr)
	defer zr.Close()
	out, n, err := spool.spoolCopy(zr, limit, p.ContentID, mimeType)
	if err != nil {
		return Part{}, ErrDecompressionFailure.Withf("", "part %s after %d bytes: %v", p.ContentID, n, err)
	}
	return out, nil
}
