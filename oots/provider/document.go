package provider

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/beevik/etree"
	"golang.org/x/text/unicode/norm"
)

// nsDemoEvidence is the namespace of the demo XML evidence documents.
const nsDemoEvidence = "https://vienreiz.lv/ns/demo-evidence/1"

// xmlDocument writes d as a small XML evidence document.
func xmlDocument(d *document) ([]byte, error) {
	doc := etree.NewDocument()
	doc.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
	root := doc.CreateElement("Evidence")
	root.CreateAttr("xmlns", nsDemoEvidence)
	root.CreateAttr("id", d.ID)
	if d.ConformsTo != "" {
		root.CreateAttr("conformsTo", d.ConformsTo)
	}
	root.CreateElement("Title").SetText(d.Title)
	for _, f := range d.Fields {
		e := root.CreateElement("Field")
		e.CreateAttr("name", f.Name)
		e.CreateAttr("source", f.Source)
		e.CreateAttr("legalBasis", f.LegalBasis)
		e.SetText(f.Value)
	}
	doc.Indent(2)
	b, err := doc.WriteToBytes()
	if err != nil {
		return nil, fmt.Errorf("evidence xml: %w", err)
	}
	return b, nil
}

// pdfDocument writes a one-page PDF 1.4 with the title and one line per
// field, in Helvetica. Letters outside Latin-1 lose their accents, other characters become '?':
// the standard fonts carry no more (a real provider embeds a font).
func pdfDocument(title string, fields []Field) []byte {
	var content bytes.Buffer
	content.WriteString("BT /F1 16 Tf 50 790 Td ")
	fmt.Fprintf(&content, "(%s) Tj /F1 10 Tf 0 -28 Td ", pdfString(title))
	for _, f := range fields {
		fmt.Fprintf(&content, "(%s) Tj 0 -15 Td ", pdfString(f.Name+": "+f.Value))
	}
	fmt.Fprintf(&content, "0 -15 Td (%s) Tj ET", pdfString("Source: "+sourceOf(fields)))
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", content.Len(), content.String()),
	}
	var out bytes.Buffer
	out.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&out, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return out.Bytes()
}

func sourceOf(fields []Field) string {
	if len(fields) == 0 {
		return ""
	}
	return fields[0].Source
}

// latinBase returns the base letter of an accented letter outside
// Latin-1 ('ē' → 'e', 'ņ' → 'n'), or '?'.
func latinBase(r rune) byte {
	if d := norm.NFD.String(string(r)); d != "" && d[0] < 0x80 {
		return d[0]
	}
	return '?'
}

// pdfString escapes s for a PDF literal string in WinAnsi (Latin-1 range).
func pdfString(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			b.WriteByte(' ')
		case r < 0x80:
			b.WriteRune(r)
		case r <= 0xff:
			b.WriteByte(byte(r))
		default:
			b.WriteByte(latinBase(r))
		}
	}
	return b.String()
}
