package provider

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"testing"
)

// TestPDFStructure checks what a PDF reader relies on: every xref offset
// points at its object, startxref at the table, and the stream length is
// the stream's; parentheses and backslashes in values are escaped.
func TestPDFStructure(t *testing.T) {
	pdf := pdfDocument("Title (x)", []Field{{Name: "Name", Value: `a\b) Tj (evil`, Source: "Ū"}})
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.4\n")) || !bytes.HasSuffix(pdf, []byte("%%EOF\n")) {
		t.Fatal("header or trailer missing")
	}
	m := regexp.MustCompile(`startxref\n(\d+)\n`).FindSubmatch(pdf)
	if m == nil {
		t.Fatal("no startxref")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(pdf[xref:], []byte("xref\n0 6\n")) {
		t.Fatalf("startxref %d does not point at the xref table", xref)
	}
	entries := regexp.MustCompile(`(\d{10}) 00000 n `).FindAllSubmatch(pdf[xref:], -1)
	if len(entries) != 5 {
		t.Fatalf("%d xref entries, want 5", len(entries))
	}
	for i, e := range entries {
		off, _ := strconv.Atoi(string(e[1]))
		if want := fmt.Sprintf("%d 0 obj\n", i+1); !bytes.HasPrefix(pdf[off:], []byte(want)) {
			t.Errorf("xref entry %d points at %q", i+1, pdf[off:off+10])
		}
	}
	s := regexp.MustCompile(`(?s)<< /Length (\d+) >>\nstream\n(.*?)\nendstream`).FindSubmatch(pdf)
	if n, _ := strconv.Atoi(string(s[1])); n != len(s[2]) {
		t.Errorf("stream /Length %d, stream has %d bytes", n, len(s[2]))
	}
	if !bytes.Contains(s[2], []byte(`(Name: a\\b\) Tj \(evil) Tj`)) || !bytes.Contains(s[2], []byte("(Source: U)")) {
		t.Errorf("escaping: %s", s[2])
	}
}
