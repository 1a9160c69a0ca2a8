package provider

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/commonsvc"
	"github.com/vienreiz/vienreiz/oots/commonsvc/demodir"
	"github.com/vienreiz/vienreiz/oots/edm"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// demoCatalog is the catalogue of the demo directory's offers.
func demoCatalog(t *testing.T) *catalog {
	t.Helper()
	dir, err := demodir.Directory()
	if err != nil {
		t.Fatal(err)
	}
	c, err := newCatalog(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// demoRequest is a request for the evidence type of c whose title holds
// word, for a person with identifier id.
func demoRequest(t *testing.T, c *catalog, country, word, id, format string) (*offer, commonsvc.DataService, *edm.QueryRequest) {
	t.Helper()
	for _, o := range c.offers {
		if o.Country == country && kindOf(o.Type.Titles.Get("EN")) == kindOf(word) && len(o.Services) > 0 {
			req := &edm.QueryRequest{
				NaturalPerson:   &edm.Person{Identifier: edm.Identifier{Value: id, SchemeID: "eidas"}, FamilyName: "Bērziņa", GivenName: "Anna", DateOfBirth: "1990-04-12"},
				EvidenceRequest: edm.EvidenceType{DistributedAs: edm.Distribution{Format: format}},
			}
			return o, o.Services[0], req
		}
	}
	t.Fatalf("no %s %s type", country, word)
	return nil, commonsvc.DataService{}, nil
}

// TestDemoEvidenceGolden: the generated documents are deterministic per
// subject, type and language (golden files), and differ between subjects.
func TestDemoEvidenceGolden(t *testing.T) {
	c := demoCatalog(t)
	for _, tc := range []struct{ country, word, format, language, golden string }{
		{"LV", "birth", "application/xml", "en", "lv-birth.xml"},
		{"LV", "birth", "application/xml", "lv", "lv-birth.lv.xml"},
		{"LV", "birth", "application/pdf", "en", "lv-birth.pdf"},
		{"EE", "residence", "", "en", "ee-residence.pdf"},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			o, s, req := demoRequest(t, c, tc.country, tc.word, "LV/"+tc.country+"/12345612345", tc.format)
			d, err := generate(o, s, req, tc.language, issuedOn)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tc.golden)
			if *update {
				if err := os.WriteFile(path, d.Data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create)", err)
			}
			if !bytes.Equal(d.Data, want) {
				t.Fatalf("document differs from %s:\n%s", path, d.Data)
			}
			_, _, other := demoRequest(t, c, tc.country, tc.word, "LV/"+tc.country+"/55555555555", tc.format)
			d2, err := generate(o, s, other, tc.language, issuedOn)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(d2.Data, d.Data) || d2.ID == d.ID {
				t.Fatal("two subjects got the same document")
			}
		})
	}
}

// TestDemoRegistersKnowCompaniesForTheirEvidence: a company registering a
// business activity proves that it owes no tax; the demo registers kept
// tax and social security records for persons only and answered a
// company's request with EDM:ERR:0004. They keep them for both now, a
// company's registration for companies only, and a birth for persons only.
func TestDemoRegistersKnowCompaniesForTheirEvidence(t *testing.T) {
	c := demoCatalog(t)
	for _, tc := range []struct {
		word            string
		person, company bool
		companyField    string
	}{
		{"tax", true, true, "Tax debt"},
		{"social", true, true, "Employees insured"},
		{"company", false, true, "Legal form"},
		{"birth", true, false, ""},
	} {
		o, s, req := demoRequest(t, c, "LV", tc.word, "LV/LV/12345612345", "application/xml")
		if _, err := generate(o, s, req, "en", issuedOn); (err == nil) != tc.person {
			t.Errorf("%s for a person: %v, want kept %v", tc.word, err, tc.person)
		}
		req.NaturalPerson = nil
		req.LegalPerson = &edm.LegalPerson{LegalPersonIdentifier: edm.Identifier{Value: "LV/LV/40003012345", SchemeID: "eidas"}, LegalName: "Baltic Timber SIA"}
		d, err := generate(o, s, req, "en", issuedOn)
		if (err == nil) != tc.company {
			t.Errorf("%s for a company: %v, want kept %v", tc.word, err, tc.company)
			continue
		}
		if err != nil {
			continue
		}
		fields := map[string]string{}
		for _, f := range d.Fields {
			fields[f.Name] = f.Value
		}
		if _, ok := fields[tc.companyField]; !ok || fields["Legal name"] != "Baltic Timber SIA" {
			t.Errorf("%s for a company lacks %q or the company's name: %v", tc.word, tc.companyField, fields)
		}
	}
}

// issuedOn is the day the tests' demo records are issued.
var issuedOn = time.Date(2026, 3, 9, 10, 30, 0, 0, time.UTC)

// TestDemoEvidenceAgreesWithItsSubjectAndDay: a citizen born in 1985
// previewed a diploma "issued" 2021-02-20 for a degree awarded in 2023,
// and a tax certificate "valid for 3 months from the issuing date" was
// issued years ago: the demo registers drew every year at random. A
// record is issued on the day it is made, names no year after that day
// nor before its subject was old enough, and states the same facts on
// another day (those that had happened by the first).
func TestDemoEvidenceAgreesWithItsSubjectAndDay(t *testing.T) {
	c := demoCatalog(t)
	later := issuedOn.AddDate(1, 2, 3)
	for _, word := range []string{"diploma", "secondary", "residence", "tax", "health"} {
		for _, born := range []string{"1985-04-15", "2004-11-30"} {
			o, s, req := demoRequest(t, c, "LV", word, "LV/LV/120485-"+born[:4], "application/xml")
			req.NaturalPerson.DateOfBirth = born
			d, err := generate(o, s, req, "en", issuedOn)
			if err != nil {
				t.Fatal(err)
			}
			again, err := generate(o, s, req, "en", later)
			if err != nil {
				t.Fatal(err)
			}
			if d.IssuingDate != "2026-03-09" || again.IssuingDate != "2027-05-12" || d.ID == again.ID {
				t.Errorf("%s: issued %s and %s (IDs %s, %s), want the days they were made, under two IDs", word, d.IssuingDate, again.IssuingDate, d.ID, again.ID)
			}
			birth, _ := strconv.Atoi(born[:4])
			facts := map[string]string{}
			for _, f := range again.Fields {
				facts[f.Name] = f.Value
			}
			for _, f := range d.Fields {
				var year int
				switch f.Name {
				case "Year of award":
					year, _ = strconv.Atoi(f.Value)
					if year < birth+18 {
						t.Errorf("%s for someone born %s: awarded in %d", word, born, year)
					}
					if year < issuedOn.Year() && facts[f.Name] != f.Value {
						t.Errorf("%s: awarded in %s, a year later in %s", word, f.Value, facts[f.Name])
					}
				case "Registered since":
					year, _ = strconv.Atoi(f.Value[:4])
					if year < birth {
						t.Errorf("%s for someone born %s: registered since %s", word, born, f.Value)
					}
				case "Insured until":
					year, _ = strconv.Atoi(f.Value[:4])
					if year < issuedOn.Year() {
						t.Errorf("%s: insured until %s on a record issued %s", word, f.Value, d.IssuingDate)
					}
					continue
				default:
					continue
				}
				if year > issuedOn.Year() {
					t.Errorf("%s: %s %s after the record's issue on %s", word, f.Name, f.Value, d.IssuingDate)
				}
			}
		}
	}
}
