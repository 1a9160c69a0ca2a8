package wss

import (
	"fmt"
	"hash"
	"io"
	"strings"

	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

// maxXMLAttachment bounds XML attachments that must be canonicalized in
// memory by the Attachment-Content-Signature-Transform. AS4 payloads are
// normally compressed (application/gzip) and stream; uncompressed XML
// payloads above this size are refused rather than loaded.
const maxXMLAttachment = 64 << 20

// digestPart runs the Attachment-Content-Signature-Transform over p and
// returns the digest of its output (WSS SwA profile 1.1, 5.4): XML content
// is exclusively canonicalized (its root element; processing instructions
// outside it are dropped), other text has its line ends made CRLF, and
// everything else is hashed as is, streaming.
func digestPart(p Part, h hash.Hash) ([]byte, error) {
	if p.Open == nil {
		return nil, fmt.Errorf("part %q has no content", p.ContentID)
	}
	rc, err := p.Open()
	if err != nil {
		return nil, fmt.Errorf("opening part %q: %w", p.ContentID, err)
	}
	defer rc.Close()
	switch contentKind(p.ContentType) {
	case kindXML:
		doc, err := xmlsafe.Parse(rc, maxXMLAttachment)
		if err != nil {
			return nil, fmt.Errorf("xml part %q: %w", p.ContentID, err)
		}
		c, err := canonicalize(doc.Root(), "")
		if err != nil {
			return nil, fmt.Errorf("xml part %q: %w", p.ContentID, err)
		}
		h.Write(c)
	case kindText:
		cw := &crlfWriter{w: h}
		if _, err := io.Copy(cw, rc); err != nil {
			return nil, fmt.Errorf("reading part %q: %w", p.ContentID, err)
		}
		cw.flush()
	default:
		if _, err := io.Copy(h, rc); err != nil {
			return nil, fmt.Errorf("reading part %q: %w", p.ContentID, err)
		}
	}
	return h.Sum(nil), nil
}

type kind int

const (
	kindOctets kind = iota
	kindText
	kindXML
)

// contentKind classifies a MIME type for the content transform the way
// WSS4J (and so Domibus) does, on the raw header value: text/xml and
// application/xml types, and application/ or image/ types with "+xml", are
// XML; other text/ types are text; everything else is octets.
func contentKind(contentType string) kind {
	s := strings.ToLower(strings.TrimSpace(contentType))
	switch {
	case strings.HasPrefix(s, "text/xml"), strings.HasPrefix(s, "application/xml"),
		(strings.HasPrefix(s, "application/") || strings.HasPrefix(s, "image/")) && strings.Contains(s, "+xml"):
		return kindXML
	case strings.HasPrefix(s, "text/"):
		return kindText
	}
	return kindOctets
}

// crlfWriter turns every CR, LF and CRLF into CRLF on the way to w, so
// that text parts digest the same whatever line ends a transport chose.
type crlfWriter struct {
	w      io.Writer
	sawCR  bool
	buffer []byte
}

// Write implements io.Writer; it never fails when w does not.
func (c *crlfWriter) Write(p []byte) (int, error) {
	out := c.buffer[:0]
	for _, b := range p {
		switch {
		case b == '\r':
			if c.sawCR {
				out = append(out, '\r', '\n')
			}
			c.sawCR = true
		case b == '\n':
			out = append(out, '\r', '\n')
			c.sawCR = false
		default:
			if c.sawCR {
				out = append(out, '\r', '\n')
				c.sawCR = false
			}
			out = append(out, b)
		}
	}
	c.buffer = out
	if _, err := c.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// flush emits a CR left pending at the end of the stream.
func (c *crlfWriter) flush() {
	if c.sawCR {
		c.w.Write([]byte("\r\n"))
		c.sawCR = false
	}
}
