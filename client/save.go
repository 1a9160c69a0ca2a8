package client

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vienreiz/vienreiz/api"
)

// ErrDigestMismatch is wrapped by SaveEvidence's error when the saved
// bytes are not the document the service announced (its ETag).
var ErrDigestMismatch = errors.New("saved document differs from the delivered one")

// Saved describes a document SaveEvidence wrote.
type Saved struct {
	Size   int64
	SHA256 string // hex
}

// SaveEvidence downloads evidence document n of request id into the file
// at path, hashing while it writes, and checks the digest against the
// one the service announced. Documents of any size stream through a
// small buffer; the service must start answering within DefaultTimeout,
// after which only ctx bounds the transfer. progress, if not nil, is
// called as bytes arrive (total is -1 when unknown). On failure nothing
// is left at path.
func (c *Client) SaveEvidence(ctx context.Context, id string, n int, path string, progress func(done, total int64)) (*Saved, error) {
	doc, err := c.Evidence(ctx, id, n)
	if err != nil {
		return nil, err
	}
	defer doc.Body.Close()
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".part-*")
	if err != nil {
		return nil, fmt.Errorf("saving evidence: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	h := sha256.New()
	w := &progressWriter{w: io.MultiWriter(tmp, h), total: doc.Size, progress: progress}
	size, err := io.CopyBuffer(w, doc.Body, make([]byte, 64<<10))
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("saving evidence %s/%d: %w", id, n, err)
	}
	saved := &Saved{Size: size, SHA256: hex.EncodeToString(h.Sum(nil))}
	if etag := doc.etag; etag != "" && etag != saved.SHA256 {
		return nil, fmt.Errorf("%w: sha256 %s, announced %s", ErrDigestMismatch, saved.SHA256, etag)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return nil, fmt.Errorf("saving evidence: %w", err)
	}
	return saved, nil
}

// startDownload sends a GET with the client's token and waits at most
// DefaultTimeout for the response headers; the body is the caller's,
// bounded by ctx alone. Error answers become *APIError.
func (c *Client) startDownload(ctx context.Context, path string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(c.baseURL, "/")+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "*/*")
	auth, err := c.authorization()
	if err != nil {
		return nil, err
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	hc := *c.r.GetClient()
	hc.Timeout = 0
	waiting, cancel := context.WithCancel(ctx)
	headers := time.AfterFunc(DefaultTimeout, cancel)
	resp, err := hc.Do(req.WithContext(waiting))
	if !headers.Stop() || err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		cancel()
		if err == nil {
			err = fmt.Errorf("no answer within %v", DefaultTimeout)
		}
		return nil, unreached(ctx, "GET "+path, err)
	}
	resp.Body = cancelOnClose{resp.Body, cancel}
	if resp.StatusCode >= 400 {
		defer resp.Body.Close()
		var e api.ErrorBody
		if json.NewDecoder(io.LimitReader(resp.Body, maxErrorBody)).Decode(&e) != nil {
			return nil, newAPIError(resp.StatusCode, resp.Status, nil)
		}
		return nil, newAPIError(resp.StatusCode, resp.Status, &e)
	}
	return resp, nil
}

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

// progressWriter reports the bytes written so far.
type progressWriter struct {
	w        io.Writer
	done     int64
	total    int64
	progress func(done, total int64)
}

func (p *progressWriter) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	p.done += int64(n)
	if p.progress != nil {
		p.progress(p.done, p.total)
	}
	return n, err
}
