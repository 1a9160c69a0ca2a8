package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/vienreiz/vienreiz/api"
)

// MaxDownload bounds one downloaded document: an evidence document, a
// ledger export or a calendar.
const MaxDownload = 64 << 20

// maxErrorBody bounds the JSON error body read from a failed download.
const maxErrorBody = 64 << 10

// ErrTooLarge is wrapped by errors for a document over MaxDownload bytes.
var ErrTooLarge = errors.New("document too large")

// Document is a downloaded file. The caller reads Body and closes it.
// Ledger exports and calendars are bounded: reading more than MaxDownload
// bytes fails with an error wrapping ErrTooLarge, and the download (body
// included) by DefaultTimeout. Evidence documents are not: they stream
// at any size, and after the headers (DefaultTimeout) only ctx bounds them.
type Document struct {
	// ContentType is the media type the service announced.
	ContentType string
	// Size is the announced length in bytes, or -1 when unknown.
	Size int64
	Body io.ReadCloser
	etag string // the SHA-256 the service announced, for SaveEvidence
}

// Evidence downloads delivered evidence document n (api.EvidenceFile.Index)
// of one of the caller's requests. The error wraps ErrNotFound for another
// person's request, an unknown document or one not delivered yet.
func (c *Client) Evidence(ctx context.Context, id string, n int) (*Document, error) {
	resp, err := c.startDownload(ctx, "/v1/requests/"+url.PathEscape(id)+"/evidence/"+strconv.Itoa(n))
	if err != nil {
		return nil, err
	}
	return &Document{ContentType: resp.Header.Get("Content-Type"), Size: resp.ContentLength, Body: resp.Body,
		etag: strings.Trim(resp.Header.Get("ETag"), `"`)}, nil
}

// ExportLedger writes the caller's ledger entries (every consent, exchange
// and access to their evidence) to w, in format "json" or "csv".
func (c *Client) ExportLedger(ctx context.Context, format string, w io.Writer) error {
	return c.downloadTo(ctx, "/v1/ledger", url.Values{"format": {format}}, w)
}

// Calendar writes the expected-by times of the caller's open requests to w
// as an iCalendar (RFC 5545) document.
func (c *Client) Calendar(ctx context.Context, w io.Writer) error {
	return c.downloadTo(ctx, "/v1/calendar.ics", nil, w)
}

// downloadTo copies the document at path to w.
func (c *Client) downloadTo(ctx context.Context, path string, params url.Values, w io.Writer) error {
	doc, err := c.download(ctx, path, params)
	if err != nil {
		return err
	}
	defer doc.Body.Close()
	if _, err := io.Copy(w, doc.Body); err != nil {
		return fmt.Errorf("GET %s: %w", path, err)
	}
	return nil
}

// download starts a GET of a document and returns its body unread; error
// answers become *APIError as in answer.
func (c *Client) download(ctx context.Context, path string, params url.Values) (*Document, error) {
	req, err := c.request(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := req.SetQueryParamsFromValues(params).
		SetHeader("Accept", "*/*").SetDoNotParseResponse(true).Get(path)
	if err != nil {
		if resp != nil && resp.RawBody() != nil {
			resp.RawBody().Close()
		}
		return nil, answer(ctx, resp, err, http.MethodGet, path)
	}
	body := resp.RawBody()
	if resp.IsError() {
		defer body.Close()
		var e api.ErrorBody
		if json.NewDecoder(io.LimitReader(body, maxErrorBody)).Decode(&e) != nil {
			return nil, newAPIError(resp.StatusCode(), resp.Status(), nil)
		}
		return nil, newAPIError(resp.StatusCode(), resp.Status(), &e)
	}
	size := resp.RawResponse.ContentLength
	if size > MaxDownload {
		body.Close()
		return nil, fmt.Errorf("%w: GET %s: %d bytes, at most %d", ErrTooLarge, path, size, MaxDownload)
	}
	return &Document{
		ContentType: resp.Header().Get("Content-Type"),
		Size:        size,
		Body:        &limitedBody{rc: body, left: MaxDownload},
	}, nil
}

// limitedBody reads at most left bytes and fails with ErrTooLarge if the
// body holds more.
type limitedBody struct {
	rc   io.ReadCloser
	left int64
}

func (l *limitedBody) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if l.left <= 0 {
		var probe [1]byte
		n, err := l.rc.Read(probe[:])
		if n > 0 {
			return 0, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, MaxDownload)
		}
		return 0, err
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.rc.Read(p)
	l.left -= int64(n)
	return n, err
}

func (l *limitedBody) Close() error { return l.rc.Close() }
