package catalogue

import (
	"errors"
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/assets"
)

func TestDemoCatalogueIsValid(t *testing.T) {
	c, err := Parse(assets.CatalogueJSON())
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Services) < 12 {
		t.Fatalf("demo catalogue has %d services, want at least 12", len(c.Services))
	}
	countries := map[string]bool{}
	for _, s := range c.Services {
		countries[s.Country] = true
	}
	if !countries["LV"] || len(countries) < 3 {
		t.Fatalf("demo catalogue countries = %v, want Latvia and at least two other member states", countries)
	}
	// A company proves its registration: the business services' evidence
	// is about the company, the others' about the person.
	for _, s := range c.Services {
		for _, e := range s.Evidence {
			if business := s.Category == "business"; e.ForCompany() != business {
				t.Errorf("%s: %q is about a company: %v, want %v", s.ID, e.Name["en"], e.ForCompany(), business)
			}
		}
	}
}

func TestParseRejectsIncompleteServices(t *testing.T) {
	base := `{"version":1,"categories":[{"id":"tax","name":{"en":"Tax","lv":"Nodokļi"}}],"services":[%s]}`
	good := `{"id":"a","country":"LV","category":"tax","procedure":"U4","name":{"en":"A","lv":"A"},"description":{"en":"d","lv":"d"},"provider":{"id":"p","name":{"en":"P","lv":"P"}},"evidence":[{"requirement":"https://x/r","name":{"en":"E","lv":"E"}}],"processing_days":3,"legal_basis":{"en":"L","lv":"L"}}`
	if _, err := Parse([]byte(strings.Replace(base, "%s", good, 1))); err != nil {
		t.Fatalf("valid catalogue rejected: %v", err)
	}
	tests := []struct{ name, from, to, want string }{
		{"missing lv name", `"name":{"en":"A","lv":"A"}`, `"name":{"en":"A"}`, `name: missing "lv" text`},
		{"unknown category", `"category":"tax"`, `"category":"fun"`, `unknown category "fun"`},
		{"bad country", `"country":"LV"`, `"country":"Latvia"`, `not an ISO 3166`},
		{"bad procedure", `"procedure":"U4"`, `"procedure":"tax"`, `not an OOTS procedure code`},
		{"no evidence", `"evidence":[{"requirement":"https://x/r","name":{"en":"E","lv":"E"}}]`, `"evidence":[]`, `no evidence`},
		{"plain-http requirement", `https://x/r`, `http://x/r`, `not an https URI`},
		{"unknown field", `"processing_days":3`, `"processing_days":3,"colour":"red"`, `unknown field`},
		{"evidence about someone unknown", `"name":{"en":"E","lv":"E"}}`, `"name":{"en":"E","lv":"E"},"about":"animal"}`, `evidence[0].about: "animal"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := strings.Replace(base, "%s", strings.Replace(good, tt.from, tt.to, 1), 1)
			_, err := Parse([]byte(doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
	dup := strings.Replace(base, "%s", good+","+good, 1)
	if _, err := Parse([]byte(dup)); err == nil || !strings.Contains(err.Error(), "duplicate id") {
		t.Fatalf("duplicate ids: error = %v", err)
	}
}

func TestQueryMatchesAcrossLanguagesAndDiacritics(t *testing.T) {
	c, err := Parse(assets.CatalogueJSON())
	if err != nil {
		t.Fatal(err)
	}
	count := func(q Query) int {
		n := 0
		for i := range c.Services {
			if q.Matches(&c.Services[i]) {
				n++
			}
		}
		return n
	}
	tests := []struct {
		name string
		q    Query
		min  int
		max  int
	}{
		{"english word", Query{Text: "pension"}, 2, 16},
		{"latvian with diacritics", Query{Text: "Uzņēmumu"}, 1, 16},
		{"latvian folded", Query{Text: "uznemumu"}, 1, 16},
		{"two words narrow", Query{Text: "vehicle germany"}, 1, 1},
		{"country filter", Query{Country: "EE"}, 2, 2},
		{"category filter", Query{Category: "education"}, 4, 4},
		{"no match", Query{Text: "zzzznothing"}, 0, 0},
	}
	for _, tt := range tests {
		if n := count(tt.q); n < tt.min || n > tt.max {
			t.Errorf("%s: %d services match %+v, want %d..%d", tt.name, n, tt.q, tt.min, tt.max)
		}
	}
}

func TestQueryValidate(t *testing.T) {
	if err := (Query{Text: strings.Repeat("ā", MaxQueryLength)}).Validate(); err != nil {
		t.Fatalf("query of exactly the limit rejected: %v", err)
	}
	if err := (Query{Text: strings.Repeat("a", MaxQueryLength+1)}).Validate(); !errors.Is(err, ErrQueryTooLong) {
		t.Fatalf("over-long query: %v", err)
	}
	for _, q := range []Query{{Country: "lv"}, {Country: "LVA"}, {Category: "Bad Cat"}, {Text: "\xff"}} {
		if err := q.Validate(); !errors.Is(err, ErrInvalidFilter) {
			t.Errorf("%+v: error = %v, want ErrInvalidFilter", q, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add(assets.CatalogueJSON())
	f.Add([]byte(`{"version":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if err == nil && c.Validate() != nil {
			t.Fatal("Parse accepted a catalogue that does not validate")
		}
	})
}

// TestServiceEvidenceOf: a service's evidence is found by its requirement,
// the first one that meets it; a requirement it does not need finds none.
func TestServiceEvidenceOf(t *testing.T) {
	s := Service{Evidence: []Evidence{{Requirement: "https://x/birth", About: ""}, {Requirement: "https://x/company", About: AboutCompany}, {Requirement: "https://x/company"}}}
	if e, ok := s.EvidenceOf("https://x/company"); !ok || !e.ForCompany() {
		t.Fatalf("company evidence: %+v, %v", e, ok)
	}
	if e, ok := s.EvidenceOf("https://x/diploma"); ok {
		t.Fatalf("a requirement the service does not need: %+v", e)
	}
}

// TestCountryOfEID: the country of an eIDAS identifier's eID, as the
// catalogue writes it (Greece GR, where eIDAS says EL); nothing for what
// is not an identifier.
func TestCountryOfEID(t *testing.T) {
	for id, want := range map[string]string{
		"LV/LV/01019012345": "LV", "DE/LV/T220001293": "DE", "EL/LV/123456789": "GR",
		"": "", "LV": "", "LVA/LV/1": "",
	} {
		if got := CountryOfEID(id); got != want {
			t.Errorf("CountryOfEID(%q) = %q, want %q", id, got, want)
		}
	}
}
