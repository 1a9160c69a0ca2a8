package provider

import (
	"bytes"
	"fmt"
	"time"

	"github.com/beevik/etree"
	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/goregular"
)

// nsDemoEvidence is the namespace of the demo XML evidence documents.
const nsDemoEvidence = "https://vienreiz.lv/ns/demo-evidence/1"

// xmlDocument writes d as a small XML evidence document.
func xmlDocument(d *document) ([]byte, error) {
	doc := etree.NewDocument()
	doc.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
	root := doc.CreateElement("Evidence")
	root.CreateAttr("xmlns", nsDemoEvidence)
	root.CreateAttr("xml:lang", d.Language)
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

// pdfDocument writes a one-page PDF with the title and one line per
// field, its own words in sp's language, in the Go font embedded (subset,
// with a Unicode map), so every letter of the EU languages the demo
// registers use prints and can be copied: "Bērziņš" stays "Bērziņš". The document depends only on its
// contents (fixed dates), as the demo's evidence must.
func pdfDocument(title string, sp speech, fields []Field) ([]byte, error) {
	pdf := fpdf.New("P", "pt", "A4", "")
	pdf.SetCreationDate(demoPDFDate)
	pdf.SetModificationDate(demoPDFDate)
	pdf.SetCatalogSort(true)
	pdf.SetTitle(title, true)
	pdf.AddUTF8FontFromBytes("Go", "", goregular.TTF)
	pdf.SetMargins(50, 50, 50)
	pdf.AddPage()
	pdf.SetFont("Go", "", 16)
	pdf.MultiCell(0, 22, title, "", "L", false)
	pdf.Ln(8)
	pdf.SetFont("Go", "", 10)
	for _, f := range fields {
		pdf.MultiCell(0, 15, f.Name+": "+f.Value, "", "L", false)
	}
	pdf.Ln(15)
	pdf.MultiCell(0, 15, sp.say("Source: ", "Avots: ")+sourceOf(fields), "", "L", false)
	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		return nil, fmt.Errorf("evidence pdf: %w", err)
	}
	return out.Bytes(), nil
}

// demoPDFDate is the creation date written into every demo PDF.
var demoPDFDate = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func sourceOf(fields []Field) string {
	if len(fields) == 0 {
		return ""
	}
	return fields[0].Source
}
