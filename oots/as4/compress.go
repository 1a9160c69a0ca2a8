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

// gzipPool reuses gzip writers (each holds about 1 MiB of tables).
type gzipPool struct{ pool sync.Pool }

func (g *gzipPool) get(w io.Writer) *gzip.Writer {
	if zw, ok := g.pool.Get().(*gzip.Writer); ok {
		zw.Reset(w)
		return zw
	}
	zw, _ := gzip.NewWriterLevel(w, gzip.DefaultCompression) // the level is valid
	return zw
}

func (g *gzipPool) put(zw *gzip.Writer) { g.pool.Put(zw) }

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

// Decompress gunzips p into the spool, refusing more than limit bytes
// of output (a decompression bomb), and returns the plain part with
// Content-Type mimeType. Failures are EBMS:0303 DecompressionFailure.
func Decompress(p Part, mimeType string, limit int64, spool *Spool) (Part, error) {
	rc, err := p.Open()
	if err != nil {
		return Part{}, ErrDecompressionFailure.Withf("", "part %s: open: %v", p.ContentID, err)
	}
	defer rc.Close()
	zr, err := gzip.NewReader(rc)
	if err != nil {
		return Part{}, ErrDecompressionFailure.Withf("", "part %s: not gzip: %v", p.ContentID, err)
	}
	defer zr.Close()
	out, n, err := spool.spoolCopy(zr, limit, p.ContentID, mimeType)
	if err != nil {
		return Part{}, ErrDecompressionFailure.Withf("", "part %s after %d bytes: %v", p.ContentID, n, err)
	}
	return out, nil
}
