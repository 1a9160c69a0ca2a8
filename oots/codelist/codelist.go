// Package codelist gives the official OOTS code lists (Genericode files of
// the OOTS Technical Design Documents, embedded at build time from
// third_party/oots-spec) and checks values against them.
//
//	if !codelist.LevelsOfAssurance().Has("Medium") { ... }
package codelist

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"sync"

	ootsspec "github.com/vienreiz/vienreiz/third_party/oots-spec"
)

// List is one code list: its codes in file order and, per code, the values
// of the other columns.
type List struct {
	Name    string // the file's ShortName, e.g. "LoA"
	Version string
	codes   []string
	rows    map[string]map[string]string // code → column id → value
}

// Has reports whether code is in the list (exact, case-sensitive match).
func (l *List) Has(code string) bool {
	_, ok := l.rows[code]
	return ok
}

// Codes returns the codes in file order.
func (l *List) Codes() []string { return slices.Clone(l.codes) }

// Column returns the value of column id (e.g. "name-Value", "name-Type")
// for code, or "".
func (l *List) Column(code, id string) string { return l.rows[code][id] }

// Parse reads a Genericode code list. The key column named in the
// ColumnSet holds the codes. It reads tokens with a non-strict decoder,
// which closes unbalanced elements: the official EDMErrorCodes file has an
// end tag typed as text (".../SimpleValue>").
func Parse(data []byte) (*List, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	l := &List{rows: map[string]map[string]string{}}
	var (
		stack   []string
		key     string
		row     map[string]string
		column  string
		value   strings.Builder
		sawRoot bool
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("code list: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) == 0 {
				if t.Name.Local != "CodeList" {
					return nil, fmt.Errorf("code list: root is %s, not gc:CodeList", t.Name.Local)
				}
				sawRoot = true
			}
			stack = append(stack, t.Name.Local)
			value.Reset()
			switch within := strings.Join(stack, "/"); {
			case within == "CodeList/ColumnSet/Key/ColumnRef" && key == "":
				key = attr(t, "Ref")
			case within == "CodeList/SimpleCodeList/Row":
				row = map[string]string{}
			case within == "CodeList/SimpleCodeList/Row/Value":
				column = attr(t, "ColumnRef")
			}
		case xml.CharData:
			value.Write(t)
		case xml.EndElement:
			if len(stack) == 0 {
				return nil, fmt.Errorf("code list: unbalanced end tag %s", t.Name.Local)
			}
			switch within := strings.Join(stack, "/"); within {
			case "CodeList/Identification/ShortName":
				l.Name = strings.TrimSpace(value.String())
			case "CodeList/Identification/Version":
				l.Version = strings.TrimSpace(value.String())
			case "CodeList/SimpleCodeList/Row/Value/SimpleValue":
				if row != nil {
					row[column] = strings.TrimSpace(value.String())
				}
			case "CodeList/SimpleCodeList/Row":
				if code := row[key]; code != "" && key != "" {
					if _, dup := l.rows[code]; !dup {
						l.codes = append(l.codes, code)
					}
					l.rows[code] = row
				}
				row = nil
			}
			stack = stack[:len(stack)-1]
		}
	}
	switch {
	case !sawRoot:
		return nil, fmt.Errorf("code list: no gc:CodeList root")
	case key == "":
		return nil, fmt.Errorf("code list %s: no key column", l.Name)
	case len(l.codes) == 0:
		return nil, fmt.Errorf("code list %s: no codes", l.Name)
	}
	return l, nil
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// load returns a function that parses the embedded file once. The files
// are part of the build: one that does not parse is a build defect, caught
// by the package tests, hence the panic.
func load(file string) func() *List {
	return sync.OnceValue(func() *List {
		data, err := ootsspec.CodeLists.ReadFile(path.Join("codelists/v1.0", file))
		if err != nil {
			panic(err)
		}
		l, err := Parse(data)
		if err != nil {
			panic(fmt.Sprintf("%s: %v", file, err))
		}
		return l
	})
}

// The official code lists of OOTS v1.0.
var (
	LevelsOfAssurance   = load("OOTS/LevelsOfAssurance-CodeList.gc")
	Procedures          = load("OOTS/Procedures-CodeList.gc")
	MediaTypes          = load("OOTS/OOTSMediaTypes-CodeList.gc")
	IdentifierSchemes   = load("OOTS/IdentifierSchemes-CodeList.gc")
	AgentClassification = load("OOTS/AgentClassification-CodeList.gc")
	JurisdictionLevel   = load("OOTS/JurisdictionLevel-CodeList.gc")
	ErrorSeverity       = load("OOTS/ErrorSeverity-CodeList.gc")
	EDMErrorCodes       = load("OOTS/EDMErrorCodes-CodeList.gc")
	EBErrorCodes        = load("OOTS/EBErrorCodes-CodeList.gc")
	DSDErrorCodes       = load("OOTS/DSDErrorCodes-CodeList.gc")
	LCMErrorCodes       = load("OOTS/LCMErrorCodes-CodeList.gc")
	// Countries is the OOTS country list (ISO 3166-1 codes, EL for Greece).
	Countries = load("External/CountryIdentificationCode-2.3.gc")
	// EAS is the list of Electronic Address Schemes (identifier schemes of
	// agents, written as urn:cef.eu:names:identifier:EAS:<code>).
	EAS       = load("External/EAS.gc")
	Languages = load("External/LanguageCode-2.3.gc")
	// NUTS is the list of EU regions (NUTS 2016): codes such as DE3
	// (NUTS1), DE30 (NUTS2), DE300 (NUTS3), with their names.
	NUTS = load("External/NutsCodes.gc")
)
