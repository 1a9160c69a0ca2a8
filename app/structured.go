package app

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"strconv"
	"strings"
	"unicode"

	"fyne.io/fyne/v2/lang"
	"golang.org/x/text/encoding/htmlindex"
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
	// More tells that the document has more fields than are shown
	// (maxStructuredFields); the file holds them all.
	More bool
}

// The bounds of what ReadStructured takes from a document it did not
// write.
const (
	maxStructuredBytes  = 4 << 20
	maxStructuredDepth  = 64
	maxStructuredNodes  = 20000 // elements and attributes
	maxStructuredFields = 500   // shown; the rest is left in the file
	maxLabelParts       = 4     // the parts of an element's path a label names; "…" stands for the middle of a longer one
)

// labelSeparator joins the parts of an element's path in a label.
const labelSeparator = " › "

// demoEvidenceNS is the namespace of the demo registers' documents
// (oots/provider): their attributes (source, legal basis, id) are the
// register's metadata, not facts to show.
const demoEvidenceNS = "https://vienreiz.lv/ns/demo-evidence/1"

// xmlLangNS and xsiNS are the namespaces of xml:lang and xsi:type & co.
const (
	xmlLangNS = "http://www.w3.org/XML/1998/namespace"
	xsiNS     = "http://www.w3.org/2001/XMLSchema-instance"
)

// IsStructured tells whether a document of contentType is structured
// evidence the app can show as fields (XML).
func IsStructured(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "application/xml" || mt == "text/xml" || strings.HasSuffix(mt, "+xml"))
}

// ReadStructured reads an XML evidence document as fields with labels in
// the current language; code is that language ("lv"), which picks among
// texts given in several languages (xml:lang).
//
// Any well-formed XML gives its facts:
//   - every element holding text is a field, labelled by its path below the
//     document element: <Child><FamilyName> is "Child › Family name", a
//     path deeper than four is shortened to its first and last two parts
//     ("Child › … › Address › Post name"); parts are translated where the
//     translations know them (field.*), else spelled as words from the
//     element's local name;
//   - attributes are fields of their element ("Identifier › Scheme id"),
//     except namespace declarations, xml:lang and xsi:*;
//   - elements of the same name under one parent are numbered
//     ("Parent 1", "Parent 2"), unless they are one text in several
//     languages: then the user's language is shown, else English, else the
//     first;
//   - a key–value element (<Field name="Family name">, <Entry key="…">) is
//     labelled by its key;
//   - a <Title> under the document element is the document's title.
//
// A document that is not well-formed XML, holds no facts, or is too deep
// or too large to be evidence is an error. Past maxStructuredFields the
// fields are cut and More is set.
func ReadStructured(data []byte, code string) (*StructuredEvidence, error) {
	if len(data) > maxStructuredBytes {
		return nil, fmt.Errorf("the document is larger than %d MiB", maxStructuredBytes>>20)
	}
	root, err := parseXMLTree(data)
	if err != nil {
		return nil, err
	}
	r := &structuredReader{code: code, out: &StructuredEvidence{}}
	r.element(root, nil, true)
	if len(r.out.Fields) == 0 {
		return nil, errors.New("the document holds no fields")
	}
	return r.out, nil
}

// xmlNode is an element of the document.
type xmlNode struct {
	name     xml.Name
	attrs    []xml.Attr // the facts among its attributes
	lang     string     // its xml:lang
	text     strings.Builder
	children []*xmlNode
}

// parseXMLTree reads data into a tree of elements, within the bounds.
func parseXMLTree(data []byte) (*xmlNode, error) {
	dec := xml.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF"))))
	dec.Strict = true
	dec.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		enc, err := htmlindex.Get(label)
		if err != nil {
			return nil, fmt.Errorf("unknown character encoding %q", label)
		}
		return enc.NewDecoder().Reader(in), nil
	}
	var root *xmlNode
	var stack []*xmlNode
	nodes := 0
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
			if nodes += 1 + len(t.Attr); nodes > maxStructuredNodes {
				return nil, fmt.Errorf("the document has more than %d elements and attributes", maxStructuredNodes)
			}
			n := &xmlNode{name: t.Name}
			for _, a := range t.Attr {
				switch {
				case a.Name.Space == xmlLangNS && a.Name.Local == "lang":
					n.lang = strings.ToLower(a.Value)
				case a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns",
					a.Name.Space == xsiNS, a.Name.Space == xmlLangNS:
				default:
					n.attrs = append(n.attrs, a)
				}
			}
			if len(stack) == 0 {
				root = n
			} else {
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, n)
			}
			stack = append(stack, n)
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1] // the strict decoder matches the tags
		}
	}
	if root == nil {
		return nil, errors.New("the document is not readable XML: it is empty")
	}
	return root, nil
}

// structuredReader turns the tree into fields.
type structuredReader struct {
	code string
	out  *StructuredEvidence
}

// element adds the fields of n, whose path below the document element is
// path.
func (r *structuredReader) element(n *xmlNode, path []string, isRoot bool) {
	_, keyAttr := keyOf(n)
	if text := oneLine(n.text.String()); text != "" {
		if len(path) == 0 { // the document element holds the text itself
			path = []string{childLabel(n)}
		}
		r.add(path, text)
	}
	if n.name.Space != demoEvidenceNS {
		for i, a := range n.attrs {
			if i != keyAttr {
				r.add(append(path, partLabel(a.Name.Local)), oneLine(a.Value))
			}
		}
	}
	for _, c := range r.shown(n.children) {
		if isRoot && c.node.name.Local == "Title" && len(c.node.children) == 0 && r.out.Title == "" {
			r.out.Title = oneLine(c.node.text.String())
			continue
		}
		r.element(c.node, append(path[:len(path):len(path)], c.label), false)
	}
}

// add adds a field, its label naming the last parts of path.
func (r *structuredReader) add(path []string, value string) {
	if value == "" {
		return
	}
	if len(r.out.Fields) == maxStructuredFields {
		r.out.More = true
		return
	}
	if len(path) > maxLabelParts {
		path = append([]string{path[0], "…"}, path[len(path)-maxLabelParts+2:]...)
	}
	r.out.Fields = append(r.out.Fields, EvidenceField{Label: strings.Join(path, labelSeparator), Value: value})
}

// labelled is a child element with the label part it is shown under.
type labelled struct {
	node  *xmlNode
	label string
}

// shown returns the children to show, in document order, with their
// label parts: of one text in several languages only the best language,
// and repeated names numbered.
func (r *structuredReader) shown(children []*xmlNode) []labelled {
	groups := map[string][]*xmlNode{}
	var order []string
	for _, c := range children {
		l := childLabel(c)
		if groups[l] == nil {
			order = append(order, l)
		}
		groups[l] = append(groups[l], c)
	}
	keep := map[*xmlNode]string{}
	for _, l := range order {
		g := groups[l]
		if len(g) > 1 && inLanguages(g) {
			g = []*xmlNode{r.bestLanguage(g)}
		}
		for i, c := range g {
			keep[c] = l
			if len(g) > 1 {
				keep[c] = l + " " + strconv.Itoa(i+1)
			}
		}
	}
	var out []labelled
	for _, c := range children {
		if l, ok := keep[c]; ok {
			out = append(out, labelled{c, l})
		}
	}
	return out
}

// childLabel is the label part of an element: a key–value element's key,
// else its name, translated where the translations know it.
func childLabel(n *xmlNode) string {
	if key, _ := keyOf(n); key != "" {
		return FieldLabel(key)
	}
	return partLabel(n.name.Local)
}

// inLanguages tells whether every element of g gives its language.
func inLanguages(g []*xmlNode) bool {
	for _, n := range g {
		if n.lang == "" {
			return false
		}
	}
	return true
}

// bestLanguage picks the element in the user's language, else in English,
// else the first.
func (r *structuredReader) bestLanguage(g []*xmlNode) *xmlNode {
	for _, want := range []string{r.code, "en"} {
		for _, n := range g {
			if n.lang == want || strings.HasPrefix(n.lang, want+"-") {
				return n
			}
		}
	}
	return g[0]
}

// keyNames are the elements that hold one named value, and keyAttrs the
// attributes that name it: <Field name="Family name">Bērziņa</Field>.
var (
	keyNames = []string{"field", "entry", "item", "property", "attribute"}
	keyAttrs = []string{"name", "key", "label"}
)

// keyOf returns the key of a key–value element with text and no child
// elements, and the index of its attribute; "" and -1 for other elements.
func keyOf(n *xmlNode) (string, int) {
	if len(n.children) > 0 || !containsFold(keyNames, n.name.Local) {
		return "", -1
	}
	for i, a := range n.attrs {
		if containsFold(keyAttrs, a.Name.Local) && oneLine(a.Value) != "" {
			return oneLine(a.Value), i
		}
	}
	return "", -1
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// partLabel is an element's or attribute's local name as a label part:
// translated where the translations know it, else as words.
func partLabel(local string) string { return FieldLabel(words(local)) }

// oneLine collapses runs of white space to one space.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

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
// "date_of_birth" → "Date of birth", "schemeID" → "Scheme id".
func words(local string) string {
	var b strings.Builder
	prev := rune(0) // as in local
	for _, r := range local {
		in := r
		switch {
		case r == '_' || r == '-' || r == '.':
			r = ' '
		case unicode.IsUpper(r) && prev != 0 && (unicode.IsLower(prev) || unicode.IsDigit(prev)):
			b.WriteByte(' ')
			r = unicode.ToLower(r)
		case prev != 0:
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
		prev = in
	}
	out := []rune(oneLine(b.String()))
	if len(out) > 0 {
		out[0] = unicode.ToUpper(out[0])
	}
	return string(out)
}
