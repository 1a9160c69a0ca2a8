package provider

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/edm"
	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

// TestEvidenceComesInOfferedLanguagesOnly (defect 3, issue 15): a
// provider named in Latvian gives its evidence in Latvian when asked —
// title, field names, values, source and legal basis, the same record as
// in English but for its words — and one that is not keeps English.
func TestEvidenceComesInOfferedLanguagesOnly(t *testing.T) {
	c := demoCatalog(t)
	checked := 0
	for _, o := range c.offers {
		for _, s := range o.Services {
			_, _, req := demoRequest(t, c, o.Country, o.Type.Titles.Get("EN"), "LV/"+o.Country+"/12345612345", "application/xml")
			if kindOf(o.Type.Titles.Get("EN")) == kindCompany {
				req.NaturalPerson, req.LegalPerson = nil, &edm.LegalPerson{LegalPersonIdentifier: edm.Identifier{Value: "LV40003000001"}}
			}
			language := viewLanguage(s, "LV")
			if want := map[bool]string{true: "lv", false: "en"}[o.Country == "LV"]; language != want {
				t.Errorf("%s %s: evidence in %q for a Latvian reader, want %q", o.Country, s.Provider.Names.Get("EN"), language, want)
			}
			if got := viewLanguage(s, "de"); got != "en" {
				t.Errorf("%s: evidence in %q for a German reader, want en", s.Provider.Names.Get("EN"), got)
			}
			en, err := generate(o, s, req, "en", issuedOn)
			if err != nil {
				t.Fatal(err)
			}
			d, err := generate(o, s, req, language, issuedOn)
			if err != nil {
				t.Fatal(err)
			}
			if language != "lv" {
				continue
			}
			if d.Title != o.Type.Titles.Get("LV") || d.Language != "lv" || len(d.Fields) != len(en.Fields) {
				t.Errorf("%q in Latvian: title %q, language %q, %d fields", en.Title, d.Title, d.Language, len(d.Fields))
				continue
			}
			for i, f := range d.Fields {
				if f.Name == en.Fields[i].Name || f.Source != s.Provider.Names.Get("LV") {
					t.Errorf("%q in Latvian: field %q from %q", en.Title, f.Name, f.Source)
				}
				for _, word := range englishDemoWords {
					if strings.Contains(f.Value, word) || strings.Contains(f.LegalBasis, word) {
						t.Errorf("%q in Latvian: %s = %q (legal basis %q) is in English", en.Title, f.Name, f.Value, f.LegalBasis)
					}
				}
			}
			checked++
		}
	}
	if checked < 10 {
		t.Fatalf("only %d Latvian records checked", checked)
	}
}

// englishDemoWords are words of the demo registers' English values; none
// may be left in a Latvian document.
var englishDemoWords = []string{"Street", "education", "Bachelor", "Master", "Gymnasium", "University",
	"none", "months", "company", "active", "yes", "not given", "Regulation", "register law"}

// TestPreviewedAndDeliveredEvidenceInLatvian (issue 15): a Latvian user's
// preview of a Latvian register's record named its fields in Latvian but
// gave their values in English ("General secondary education", "Riga
// State Gymnasium"), and the document delivered after the approval was
// English throughout. Now the preview's values are Latvian, and the
// delivered document is the one previewed: the same fields and values, in
// the language the preview was shown in.
func TestPreviewedAndDeliveredEvidenceInLatvian(t *testing.T) {
	w := newWorld(t)
	et := w.offer("LV", "secondary")
	req := w.request(et, "application/xml")
	a, _ := w.ask(req, edm.V1)
	loc := exception(t, a).Exception.PreviewLocation
	subject := req.NaturalPerson.Identifier.Value

	var v View
	if code := w.post(loc+"/view", input{Subject: subject, Language: "lv"}, &v); code != http.StatusOK {
		t.Fatalf("view: status %d", code)
	}
	if v.Language != "lv" || v.Title != "Atestāts par vispārējo vidējo izglītību" {
		t.Fatalf("view in %q titled %q", v.Language, v.Title)
	}
	for _, f := range v.Fields {
		for _, word := range englishDemoWords {
			if strings.Contains(f.Value, word) || strings.Contains(f.LegalBasis, word) {
				t.Errorf("Latvian preview: %s = %q (legal basis %q) is in English", f.Name, f.Value, f.LegalBasis)
			}
		}
	}
	var d Decided
	if code := w.post(absolute(loc, v.DecisionURL), input{Subject: subject, Decision: DecisionApprove}, &d); code != http.StatusOK {
		t.Fatalf("decision: status %d", code)
	}

	a, _ = w.ask(req.AfterPreview(loc, time.Now()), edm.V1)
	qr, ok := a.edm.(*edm.QueryResponse)
	if !ok {
		t.Fatalf("after approval: %T", a.edm)
	}
	doc, err := xmlsafe.ParseBytes(a.parts[qr.Evidence[0].Attachment.ContentID()])
	if err != nil {
		t.Fatal(err)
	}
	root := doc.Root()
	if lang := root.SelectAttrValue("xml:lang", ""); lang != "lv" {
		t.Errorf("the delivered document's xml:lang is %q, want lv", lang)
	}
	if title := root.SelectElement("Title"); title == nil || title.Text() != v.Title {
		t.Errorf("the delivered document's title differs from the preview's %q", v.Title)
	}
	var delivered, previewed []string
	for _, e := range root.SelectElements("Field") {
		delivered = append(delivered, e.SelectAttrValue("name", "")+" = "+e.Text())
	}
	for _, f := range v.Fields {
		previewed = append(previewed, f.Name+" = "+f.Value)
	}
	if !slices.Equal(delivered, previewed) {
		t.Errorf("delivered fields\n%s\ndiffer from the previewed\n%s", strings.Join(delivered, "\n"), strings.Join(previewed, "\n"))
	}
}
