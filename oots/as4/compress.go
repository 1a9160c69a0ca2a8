package as4

import (
	"fmt"
	"io"

	"github.com/klauspost/compress/gzip"
)

// Compress gzips p into a spool file and returns the compressed part with
// Content-Type application/gzip, same Content-ID. The caller records the
// original MIME type in the MimeType part property and sets
// CompressionType to application/gzip (see CompressedPartInfo).
func Compress(p Part, spool *Spool) (Part, error) {
	rc, err := p.Open()
	if err != nil {
		return Part{}, fmt.Errorf("compress %s: open: %w", p.ContentID, err)
	}
	defer rc.Close()
	f, err := spool.File()
	if err != nil {
		return Part{}, err
	}
	zw, err := gzip.NewWriterLevel(f, gzip.DefaultCompression)
	if err != nil {
		f.Close()
		return Part{}, fmt.Errorf("compress %s: %w", p.ContentID, err)
	}
	_, err = io.Copy(zw, rc)
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Part{}, fmt.Errorf("compress %s: %w", p.ContentID, err)
	}
	return FilePart(p.ContentID, MimeGzip, f.Name()), nil
}

// Decompress gunzips p into a spool file, refusing more than limit bytes
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
