package app

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"
	"unicode"

	"fyne.io/fyne/v2/lang"
)

// EvidenceField is one fact of a structured evidence document as a
// person reads it: a label in their language and the value.
type EvidenceField struct {
	Label string
	Value string
}

// StructuredEvidence is a structured (XML) evidence document read for
// the screen: its title and its fields in document order.
type StructuredEvidence struct {
	Title  string
	Fields []EvidenceField
}

// maxStructuredFields and maxStructuredDepth bound what ReadStructured
// takes from a document it did not write.
const (
	maxStructuredFields = 500
	maxStructuredDepth  = 64
)

// IsStructured tells whether a document of contentType is structured
// evidence the app can show as fields (XML).
func IsStructured(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "application/xml" || mt == "text/xml" || strings.HasSuffix(mt, "+xml"))
}

// ReadStructured reads an XML evidence document as fields with labels in
// the current language. The demo registers' documents name each field
// (<Field name="Family name">); in any other XML every element that holds
// text is a field named after its element (FamilyName → "Family name"),
// an attribute-only element is skipped. Known field names are translated
// (field.* in the translations); others are shown as the document gives
// them. A document that is not well-formed XML, or too deep or too large
// to be evidence, is an error.
func ReadStructured(data []byte) (*StructuredEvidence, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	out := &StructuredEvidence{}
	type open struct {
		name  string // the field name of the element
		text  strings.Builder
		leaf  bool
		title bool
	}
	var stack []*open
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("the document is not readable XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxStructuredDepth {
				return nil, errors.New("the document nests too deeply to be evidence")
			}
			if len(stack) > 0 {
				stack[len(stack)-1].leaf = false
			}
			e := &open{name: words(t.Name.Local), leaf: true, title: t.Name.Local == "Title" && len(stack) == 1}
			for _, a := range t.Attr {
				if t.Name.Local == "Field" && a.Name.Local == "name" {
					e.name = a.Value
				}
			}
			stack = append(stack, e)
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		case xml.EndElement:
			if len(stack) == 0 {
				return nil, errors.New("the document is not readable XML")
			}
			e := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			value := strings.Join(strings.Fields(e.text.String()), " ")
			switch {
			case !e.leaf || value == "" || len(stack) == 0:
			case e.title && out.Title == "":
				out.Title = value
			default:
				if len(out.Fields) == maxStructuredFields {
					return nil, fmt.Errorf("the document has more than %d fields", maxStructuredFields)
				}
				out.Fields = append(out.Fields, EvidenceField{Label: FieldLabel(e.name), Value: value})
			}
		}
	}
	if len(out.Fields) == 0 {
		return nil, errors.New("the document holds no fields")
	}
	return out, nil
}

// FieldLabel is a field name of an evidence document in the current
// language where the translations know it ("Family name" → "Uzvārds"),
// else as given.
func FieldLabel(name string) string {
	return lang.X("field."+fieldKey(name), name)
}

// fieldKey makes a translation key of a field name: lower case letters
// and digits, other runs of characters as one "_" ("Taxable income last
// year (EUR)" → "taxable_income_last_year_eur").
func fieldKey(name string) string {
	var b strings.Builder
	gap := false
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if gap && b.Len() > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(r)
			gap = false
		} else {
			gap = true
		}
	}
	return b.String()
}

// words spells an element name as words: "FamilyName" → "Family name",
// "date_of_birth" → "Date of birth".
func words(local string) string {
	var b strings.Builder
	prev := rune(0)
	for _, r := range local {
		switch {
		case r == '_' || r == '-':
			r = ' '
		case unicode.IsUpper(r) && prev != 0 && (unicode.IsLower(prev) || unicode.IsDigit(prev)):
			b.WriteByte(' ')
			r = unicode.ToLower(r)
		case prev != 0:
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
		prev = r
	}
	out := []rune(strings.TrimSpace(b.String()))
	if len(out) > 0 {
		out[0] = unicode.ToUpper(out[0])
	}
	return string(out)
}
