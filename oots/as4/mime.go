package as4

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/textproto"
	"strings"
	"sync"
)

// Limits bounds what the Receiver and MIME reader accept from outside.
// The Receiver takes the size of a message's payloads from its P-Mode
// (MaxPayloadSize) and uses Payloads only for P-Modes that set none.
type Limits struct {
	Message      int64 // whole HTTP request body, bytes; default 4 GiB
	Envelope     int64 // SOAP part, bytes; default 4 MiB
	Part         int64 // one attachment as received, bytes; default 2 GiB
	Parts        int   // attachments per message; default 64
	Decompressed int64 // one attachment after gunzip, bytes; default 2 GiB
	// Payloads bounds the payloads of one message, in total as received
	// and each after gunzip, when the P-Mode sets no MaxPayloadSize;
	// default DefaultMaxPayloads.
	Payloads int64
	// PeerUploads is how many messages one sender party may upload at
	// the same time; more are answered 503 with Retry-After. Messages
	// whose Content-Length is at most DefaultMemLimit (kept in memory) do
	// not count. Default 4.
	PeerUploads int
}

// DefaultMaxPayloads bounds the payloads of a message whose P-Mode sets no
// MaxPayloadSize: ample for OOTS evidence (documents of a few MiB), small
// enough that strangers cannot fill a disk.
const DefaultMaxPayloads = 32 << 20

func (l Limits) withDefaults() Limits {
	if l.Message <= 0 {
		l.Message = 4 << 30
	}
	if l.Envelope <= 0 {
		l.Envelope = 4 << 20
	}
	if l.Part <= 0 {
		l.Part = 2 << 30
	}
	if l.Parts <= 0 {
		l.Parts = 64
	}
	if l.Decompressed <= 0 {
		l.Decompressed = 2 << 30
	}
	if l.Payloads <= 0 {
		l.Payloads = DefaultMaxPayloads
	}
	if l.PeerUploads <= 0 {
		l.PeerUploads = 4
	}
	return l
}

// rootContentID is the Content-ID of the SOAP part in messages we build.
const rootContentID = "soappart@vienreiz"

// MultipartContentType returns the Content-Type header of a SwA message
// with the given boundary.
func MultipartContentType(boundary string) string {
	return mime.FormatMediaType("multipart/related", map[string]string{
		"type":     MimeSOAP12,
		"boundary": boundary,
		"start":    "<" + rootContentID + ">",
	})
}

// WriteMIME writes a SOAP-with-attachments multipart/related body: the
// envelope as root part, then each part, streamed from its Open with
// Content-Transfer-Encoding binary. The Content-Type to send is
// MultipartContentType(boundary).
func WriteMIME(w io.Writer, boundary string, envelope []byte, parts []Part) error {
	mw := multipart.NewWriter(w)
	if err := mw.SetBoundary(boundary); err != nil {
		return fmt.Errorf("mime boundary: %w", err)
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Type", MimeSOAP12+"; charset=UTF-8")
	h.Set("Content-Transfer-Encoding", "binary")
	h.Set("Content-ID", "<"+rootContentID+">")
	pw, err := mw.CreatePart(h)
	if err != nil {
		return fmt.Errorf("mime root part: %w", err)
	}
	if _, err := pw.Write(envelope); err != nil {
		return fmt.Errorf("mime root part: %w", err)
	}
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		h.Set("Content-Type", p.ContentType)
		h.Set("Content-Transfer-Encoding", "binary")
		h.Set("Content-ID", "<"+p.ContentID+">")
		pw, err := mw.CreatePart(h)
		if err != nil {
			return fmt.Errorf("mime part %s: %w", p.ContentID, err)
		}
		rc, err := p.Open()
		if err != nil {
			return fmt.Errorf("mime part %s: open: %w", p.ContentID, err)
		}
		buf := copyBuffers.Get().(*[]byte)
		_, err = io.CopyBuffer(pw, rc, *buf)
		copyBuffers.Put(buf)
		rc.Close()
		if err != nil {
			return fmt.Errorf("mime part %s: %w", p.ContentID, err)
		}
	}
	if err := mw.Close(); err != nil {
		return fmt.Errorf("mime close: %w", err)
	}
	return nil
}

// copyBuffers are WriteMIME's copy buffers: io.Copy allocated 32 KiB for
// every part sent.
var copyBuffers = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// ReadMIME reads an AS4 message body with the given Content-Type header:
// either a bare SOAP 1.2 envelope (application/soap+xml) or a SwA
// multipart/related whose root part is the envelope. Attachments are
// spooled to files from spool. Errors are EBMS:0007 MimeInconsistency
// naming what was wrong.
func ReadMIME(r io.Reader, contentType string, lim Limits, spool *Spool) (envelope []byte, parts []Part, err error) {
	return readMIME(r, contentType, lim, spool, nil)
}

// readerPool reuses the 64 KiB read buffers of readMIME.
type readerPool struct{ pool sync.Pool }

func (p *readerPool) get(r io.Reader) *bufio.Reader {
	if br, ok := p.pool.Get().(*bufio.Reader); ok {
		br.Reset(r)
		return br
	}
	return bufio.NewReaderSize(r, 64<<10)
}

func (p *readerPool) put(br *bufio.Reader) {
	br.Reset(nil)
	p.pool.Put(br)
}

// readMIME is ReadMIME with read buffers from pool (nil: no reuse).
func readMIME(r io.Reader, contentType string, lim Limits, spool *Spool, pool *readerPool) (envelope []byte, parts []Part, err error) {
	m, err := openMIME(r, contentType, lim, pool)
	if err != nil {
		return nil, nil, err
	}
	defer m.close()
	if parts, err = m.attachments(spool, 0); err != nil {
		return nil, nil, err
	}
	return m.envelope, parts, nil
}

// mimeMessage reads an AS4 message in two steps: openMIME reads the SOAP
// envelope only, so that the caller can check it before attachments
// cost any disk; attachments then spools the rest.
type mimeMessage struct {
	envelope []byte
	lim      Limits
	boundary string
	mr       *multipart.Reader // nil for a bare SOAP message
	br       *bufio.Reader
	tail     *tailReader
	pool     *readerPool
}

// openMIME reads the Content-Type and the root part (the envelope) of a
// message, and nothing beyond it.
func openMIME(r io.Reader, contentType string, lim Limits, pool *readerPool) (*mimeMessage, error) {
	if pool == nil {
		pool = &readerPool{}
	}
	lim = lim.withDefaults()
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return nil, ErrMimeInconsistency.Withf("", "Content-Type %q: %v", contentType, err)
	}
	switch mt {
	case MimeSOAP12:
		env, err := readLimited(r, lim.Envelope)
		if err != nil {
			return nil, ErrMimeInconsistency.Withf("", "SOAP envelope: %v", err)
		}
		return &mimeMessage{envelope: env, lim: lim}, nil
	case "multipart/related":
	default:
		return nil, ErrMimeInconsistency.Withf("", "Content-Type %q is neither application/soap+xml nor multipart/related", mt)
	}
	if t := params["type"]; t != MimeSOAP12 {
		return nil, ErrMimeInconsistency.Withf("", "multipart/related type parameter %q, want %s", t, MimeSOAP12)
	}
	boundary := params["boundary"]
	if boundary == "" {
		return nil, ErrMimeInconsistency.Withf("", "multipart/related without boundary")
	}
	m := &mimeMessage{lim: lim, boundary: boundary, pool: pool}
	m.tail = &tailReader{r: r, keep: len(boundary) + 64}
	m.br = pool.get(m.tail)
	m.mr = multipart.NewReader(m.br, boundary)
	p, err := m.mr.NextPart()
	if errors.Is(err, io.EOF) {
		m.close()
		return nil, ErrMimeInconsistency.Withf("", "multipart message has no parts")
	}
	if err == nil {
		err = m.readRoot(p, strings.Trim(params["start"], "<>"))
	} else {
		err = ErrMimeInconsistency.Withf("", "mime part 0: %v", err)
	}
	if err != nil {
		m.close()
		return nil, err
	}
	return m, nil
}

// readRoot checks the root part against the start parameter and reads it.
func (m *mimeMessage) readRoot(p *multipart.Part, start string) error {
	if cid := contentID(p); start != "" && cid != start {
		return ErrMimeInconsistency.Withf("", "first mime part has Content-ID %q, start parameter names %q", cid, start)
	}
	if ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); ct != MimeSOAP12 {
		return ErrMimeInconsistency.Withf("", "root mime part has Content-Type %q, want %s", ct, MimeSOAP12)
	}
	body, err := partBody(p)
	if err != nil {
		return ErrMimeInconsistency.Withf("", "mime part 0: %v", err)
	}
	if m.envelope, err = readLimited(body, m.lim.Envelope); err != nil {
		return ErrMimeInconsistency.Withf("", "SOAP part: %v", err)
	}
	return nil
}

// close returns the read buffer to its pool.
func (m *mimeMessage) close() {
	if m.br != nil {
		m.pool.put(m.br)
		m.br = nil
	}
}

// attachments spools the parts after the envelope. total (> 0) bounds
// their sum as received; beyond it the error wraps errTooLarge and
// nothing more is read.
func (m *mimeMessage) attachments(spool *Spool, total int64) ([]Part, error) {
	if m.mr == nil {
		return nil, nil
	}
	var parts []Part
	seen := map[string]bool{}
	var used int64
	for i := 1; ; i++ {
		p, err := m.mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, ErrMimeInconsistency.Withf("", "mime part %d: %v", i, err)
		}
		cid := contentID(p)
		body, err := partBody(p)
		if err != nil {
			return nil, ErrMimeInconsistency.Withf("", "mime part %d: %v", i, err)
		}
		if cid == "" {
			return nil, ErrMimeInconsistency.Withf("", "mime part %d has no Content-ID", i)
		}
		if seen[cid] {
			return nil, ErrMimeInconsistency.Withf("", "Content-ID %q appears twice", cid)
		}
		seen[cid] = true
		if len(parts) == m.lim.Parts {
			return nil, ErrMimeInconsistency.Withf("", "more than %d attachments", m.lim.Parts)
		}
		limit := m.lim.Part
		if total > 0 {
			limit = min(limit, total-used)
		}
		part, n, err := spool.spoolCopy(body, limit, cid, p.Header.Get("Content-Type"))
		if err != nil {
			if total > 0 && errors.Is(err, errTooLarge) && limit < m.lim.Part {
				return nil, fmt.Errorf("%w: the attachments exceed %d bytes", errTooLarge, total)
			}
			return nil, ErrMimeInconsistency.Withf("", "attachment %s: %v", cid, err)
		}
		used += n
		parts = append(parts, part)
	}
	// mime/multipart takes a stream cut right after a boundary line for a
	// clean end; AS4 wants the close delimiter, so a truncated message is
	// never processed.
	if _, err := io.Copy(io.Discard, io.LimitReader(m.br, 64<<10)); err != nil {
		return nil, ErrMimeInconsistency.Withf("", "after the last part: %v", err)
	}
	if !bytes.HasSuffix(bytes.TrimRight(m.tail.buf, " \t\r\n"), []byte("--"+m.boundary+"--")) {
		return nil, ErrMimeInconsistency.Withf("", "multipart body does not end with the close delimiter --%s-- (truncated?)", m.boundary)
	}
	return parts, nil
}

// contentID is a part's Content-ID without angle brackets.
func contentID(p *multipart.Part) string {
	cid := strings.TrimSpace(p.Header.Get("Content-ID"))
	return strings.TrimSuffix(strings.TrimPrefix(cid, "<"), ">")
}

// tailReader passes reads through and keeps the last keep bytes seen.
type tailReader struct {
	r    io.Reader
	keep int
	buf  []byte
}

func (t *tailReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if n > 0 {
		t.buf = append(t.buf, p[:n]...)
		if len(t.buf) > 2*t.keep {
			t.buf = append(t.buf[:0], t.buf[len(t.buf)-t.keep:]...)
		}
	}
	return n, err
}

// partBody undoes the transfer encoding of a part (quoted-printable is
// already undone by mime/multipart).
func partBody(p *multipart.Part) (io.Reader, error) {
	switch enc := strings.ToLower(strings.TrimSpace(p.Header.Get("Content-Transfer-Encoding"))); enc {
	case "", "binary", "8bit", "7bit", "quoted-printable":
		return p, nil
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, p), nil
	default:
		return nil, fmt.Errorf("Content-Transfer-Encoding %q not supported", enc)
	}
}

func readLimited(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w: more than %d bytes", errTooLarge, limit)
	}
	return data, nil
}
