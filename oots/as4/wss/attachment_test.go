package wss

import (
	"bytes"
	"crypto/sha256"
	"io"
	"testing"
	"testing/iotest"
)

func TestContentKind(t *testing.T) {
	tests := []struct {
		ctype string
		want  kind
	}{
		{"application/gzip", kindOctets},
		{"application/octet-stream", kindOctets},
		{"application/xml", kindXML},
		{"text/xml; charset=utf-8", kindXML},
		{"application/x-ebrs+xml", kindXML},
		{"TEXT/PLAIN", kindText},
		{"text/csv; charset=utf-8", kindText},
		{"image/svg+xml", kindXML},
		{"text/foo+xml", kindText},
		{" Application/XML ", kindXML},
		{"", kindOctets},
		{"not a media type;;", kindOctets},
	}
	for _, tt := range tests {
		if got := contentKind(tt.ctype); got != tt.want {
			t.Errorf("contentKind(%q) = %d, want %d", tt.ctype, got, tt.want)
		}
	}
}

func TestCRLFWriter(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a\nb", "a\r\nb"},
		{"a\r\nb", "a\r\nb"},
		{"a\rb", "a\r\nb"},
		{"a\r\r\nb", "a\r\n\r\nb"},
		{"\n\n", "\r\n\r\n"},
		{"end\r", "end\r\n"},
		{"", ""},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		w := &crlfWriter{w: &out}
		// One byte per write: a CR split from its LF must still make one CRLF.
		for i := 0; i < len(tt.in); i++ {
			w.Write([]byte{tt.in[i]})
		}
		w.flush()
		if out.String() != tt.want {
			t.Errorf("crlf(%q) = %q, want %q", tt.in, out.String(), tt.want)
		}
	}
}

func TestDigestPartTransforms(t *testing.T) {
	sum := func(s string) []byte { h := sha256.Sum256([]byte(s)); return h[:] }
	tests := []struct {
		name, ctype, in, canonical string
	}{
		{"octets as is", "application/gzip", "a\nb", "a\nb"},
		{"text gets CRLF", "text/plain", "a\nb", "a\r\nb"},
		{"xml is exclusively canonicalized", "application/xml",
			`<?xml version="1.0"?><r:a xmlns:r="urn:r" xmlns:u="urn:unused" z="1" b='2'><!--c--><r:b/></r:a>`,
			`<r:a xmlns:r="urn:r" b="2" z="1"><r:b></r:b></r:a>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := memPart("x", tt.ctype, []byte(tt.in))
			got, err := digestPart(p, sha256.New())
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, sum(tt.canonical)) {
				t.Fatalf("digest is not that of %q", tt.canonical)
			}
		})
	}
	bad := memPart("x", "application/xml", []byte(`<!DOCTYPE r [<!ENTITY e "x">]><r>&e;</r>`))
	if _, err := digestPart(bad, sha256.New()); err == nil {
		t.Fatal("xml attachment with a DTD was digested")
	}
	broken := Part{ContentID: "x", ContentType: "application/gzip", Open: func() (io.ReadCloser, error) {
		return io.NopCloser(iotest.ErrReader(io.ErrUnexpectedEOF)), nil
	}}
	if _, err := digestPart(broken, sha256.New()); err == nil {
		t.Fatal("read error not reported")
	}
}
