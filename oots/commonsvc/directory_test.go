package commonsvc

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/internal/spectest"
)

func demo(t testing.TB) *Directory {
	t.Helper()
	d, err := demoDirectory()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

const reqBase = "https://sr.oots.tech.europa.eu/requirements/"

// reqID is the demo requirement identifier of a slug of
// docs/demo-requirements.md.
func reqID(slug string) string { return reqBase + demoUUID("requirement", slug) }

// TestDemoMatchesSharedRequirements reads docs/demo-requirements.md and
// checks the demo directory has exactly those requirement ids, each with
// exactly the procedures of the table.
func TestDemoMatchesSharedRequirements(t *testing.T) {
	root, err := spectest.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile(filepath.Join(root, "docs", "demo-requirements.md"))
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile(`(?m)^\| [a-z-]+ \| ([0-9a-f-]{36}) \| [^|]+ \| ([A-Z0-9, ]+) \|$`)
	rows := row.FindAllStringSubmatch(string(doc), -1)
	if len(rows) != 11 {
		t.Fatalf("found %d requirement rows in docs/demo-requirements.md, want 11", len(rows))
	}
	d := demo(t)
	var want []string
	for _, m := range rows {
		id := reqBase + m[1]
		want = append(want, id)
		r := d.byReq[id]
		if r == nil {
			t.Errorf("requirement %s missing from demo data", id)
			continue
		}
		procs := strings.Split(strings.ReplaceAll(m[2], " ", ""), ",")
		if !slices.Equal(r.procedures, procs) {
			t.Errorf("%s: procedures %v, table says %v", id, r.procedures, procs)
		}
		if len(r.types) == 0 {
			t.Errorf("%s: no evidence type in any country", id)
		}
	}
	if got := d.RequirementIDs(); !slices.Equal(got, want) {
		t.Errorf("demo requirement ids\n got %v\nwant %v", got, want)
	}
	if got := d.Countries(); !slices.Equal(got, []string{"DE", "EE", "FI", "LT", "LV"}) {
		t.Errorf("countries %v", got)
	}
}

// TestDemoProviders checks every provider's party id and EDM version:
// FI speaks oots-edm:v2.0, the other countries v1.0.
func TestDemoProviders(t *testing.T) {
	d := demo(t)
	perCountry := map[string]int{}
	for _, p := range d.providers {
		s := p.service
		perCountry[p.country]++
		wantURN := PartyIDTypeUnregistered + ":demo-" + strings.ToLower(p.country) + "-"
		if !strings.HasPrefix(s.PartyID.URN(), wantURN) {
			t.Errorf("%s: party id %s does not start with %s", p.slug, s.PartyID.URN(), wantURN)
		}
		want := "oots-edm:v1.0"
		if p.country == "FI" {
			want = "oots-edm:v2.0"
		}
		if s.EDMVersion != want {
			t.Errorf("%s: EDM %s, want %s", p.slug, s.EDMVersion, want)
		}
		if s.Preview == PreviewUnknown {
			t.Errorf("%s: preview support unknown", p.slug)
		}
		got, ok := d.Service(s.PartyID.URN())
		if !ok || got.Provider.ID != s.Provider.ID {
			t.Errorf("Service(%s) = %v, %v", s.PartyID.URN(), got.Provider.ID, ok)
		}
	}
	for _, c := range d.Countries() {
		if perCountry[c] < 3 {
			t.Errorf("country %s has %d providers, want at least 3", c, perCountry[c])
		}
	}
	if _, ok := d.Service("urn:nobody"); ok {
		t.Error("Service found an unknown party id")
	}
}

func TestLoadDirectoryRejectsBrokenData(t *testing.T) {
	base := `{"classificationBase":"https://x/","countries":["LV"],"procedures":{"R1":"r"},
	"requirements":[{"id":"https://x/r","name":{"EN":"R"},"procedures":["R1"]}],
	"providers":[{"slug":"p","country":"LV","edm":"oots-edm:v1.0","name":{"EN":"P"}}],
	"evidenceTypes":[{"slug":"e","country":"LV","requirements":["r"],"title":{"EN":"E"},"formats":[{"format":"application/pdf"}],"providers":["p"]}]}`
	if _, err := LoadDirectory([]byte(base)); err != nil {
		t.Fatalf("base fixture: %v", err)
	}
	for name, tc := range map[string]struct{ old, new, want string }{
		"not json":              {`{"classificationBase"`, `{classificationBase`, "directory json"},
		"bad country":           {`"countries":["LV"]`, `"countries":["Latvia"]`, "not an ISO 3166"},
		"unknown procedure":     {`"procedures":["R1"]`, `"procedures":["Q9"]`, `procedure "Q9"`},
		"provider abroad":       {`"slug":"p","country":"LV"`, `"slug":"p","country":"EE"`, `country "EE" not in countries`},
		"unknown provider":      {`"providers":["p"]`, `"providers":["q"]`, `provider "q" unknown`},
		"unknown requirement":   {`"requirements":["r"]`, `"requirements":["s"]`, `requirement "s" unknown`},
		"no formats":            {`"formats":[{"format":"application/pdf"}]`, `"formats":[]`, "has no formats"},
		"no edm version":        {`"edm":"oots-edm:v1.0"`, `"edm":""`, "edm version is empty"},
		"bad jurisdiction":      {`"providers":["p"]}`, `"providers":["p"],"jurisdiction":{"level":"Planet"}}`, `jurisdiction level "Planet"`},
		"region-less provider":  {`"providers":["p"]}`, `"providers":["p"],"jurisdiction":{"level":"NUTS1"}}`, "has no adminLevel2"},
		"classification values": {`"providers":["p"]}`, `"providers":["p"],"classifications":[{"slug":"c","values":["A"]}]}`, "gives no value for classification c"},
	} {
		t.Run(name, func(t *testing.T) {
			data := strings.Replace(base, tc.old, tc.new, 1)
			if data == base {
				t.Fatal("replacement did not apply")
			}
			_, err := LoadDirectory([]byte(data))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// classificationOf returns the EB classification of the evidence type of
// requirement slug in country.
func classificationOf(t testing.TB, d *Directory, slug, country string) string {
	t.Helper()
	reqs, err := d.EvidenceTypes(EvidenceTypesQuery{RequirementID: reqID(slug), Country: country})
	if err != nil {
		t.Fatal(err)
	}
	return reqs[0].EvidenceTypes()[0].Classification
}

func TestDirectoryErrorCodes(t *testing.T) {
	d := demo(t)
	deResidence := classificationOf(t, d, "proof-of-residence", "DE")
	fiPension := classificationOf(t, d, "pension-entitlement", "FI")
	lvBirth := classificationOf(t, d, "proof-of-birth", "LV")
	cases := []struct {
		name   string
		run    func() error
		code   Code
		detail string
	}{
		{"EB requirements: no procedure", func() error { _, err := d.Requirements(RequirementsQuery{Country: "LV"}); return err }, EBBadParameters, ParamProcedure},
		{"EB requirements: no country", func() error { _, err := d.Requirements(RequirementsQuery{Procedure: "R1"}); return err }, EBBadParameters, ParamCountry},
		{"EB requirements: unknown procedure", func() error {
			_, err := d.Requirements(RequirementsQuery{Procedure: "Z9", Country: "LV"})
			return err
		}, EBUnknownProcedure, "Z9"},
		{"EB requirements: unknown country", func() error {
			_, err := d.Requirements(RequirementsQuery{Procedure: "R1", Country: "FR"})
			return err
		}, EBUnknownCountry, "FR"},
		{"EB requirements: bad region", func() error {
			_, err := d.Requirements(RequirementsQuery{Procedure: "R1", Country: "DE", AdminLevel2: "XYZ"})
			return err
		}, EBBadJurisdictionLevel, "XYZ"},
		{"EB requirements: procedure without requirements", func() error {
			_, err := d.Requirements(RequirementsQuery{Procedure: "V3", Country: "LV"})
			return err
		}, EBEmptyResult, ""},
		{"EB evidence types: unknown requirement", func() error {
			_, err := d.EvidenceTypes(EvidenceTypesQuery{RequirementID: reqID("nope"), Country: "LV"})
			return err
		}, EBRequirementNotFound, reqID("nope")},
		{"EB evidence types: malformed country", func() error {
			_, err := d.EvidenceTypes(EvidenceTypesQuery{RequirementID: reqID("proof-of-birth"), Country: "latvia"})
			return err
		}, EBBadParameters, ParamCountry},
		{"EB evidence types: none in country", func() error {
			_, err := d.EvidenceTypes(EvidenceTypesQuery{RequirementID: reqID("proof-of-income"), Country: "DE"})
			return err
		}, EBEmptyResult, ""},
		{"DSD: no classification", func() error { _, err := d.DataServices(DataServicesQuery{Country: "LV"}); return err }, DSDBadParameters, ParamClassification},
		{"DSD: malformed country", func() error {
			_, err := d.DataServices(DataServicesQuery{Classification: lvBirth, Country: "L"})
			return err
		}, DSDBadParameters, ParamCountry},
		{"DSD: unknown evidence type", func() error {
			_, err := d.DataServices(DataServicesQuery{Classification: "https://x/unknown", Country: "LV"})
			return err
		}, DSDEvidenceTypeNotFound, "https://x/unknown"},
		{"DSD: evidence type of another country", func() error {
			_, err := d.DataServices(DataServicesQuery{Classification: lvBirth, Country: "EE"})
			return err
		}, DSDNoDataServices, "EE"},
		{"DSD: wrong evidence type id", func() error {
			_, err := d.DataServices(DataServicesQuery{Classification: lvBirth, Country: "LV", EvidenceTypeID: "x"})
			return err
		}, DSDBadParameterValue, ParamEvidenceTypeID},
		{"DSD: attributes required (region)", func() error {
			_, err := d.DataServices(DataServicesQuery{Classification: deResidence, Country: "DE"})
			return err
		}, DSDAttributesRequired, ""},
		{"DSD: attributes required (classification)", func() error {
			_, err := d.DataServices(DataServicesQuery{Classification: fiPension, Country: "FI"})
			return err
		}, DSDAttributesRequired, ""},
		{"DSD: wrong jurisdiction context", func() error {
			_, err := d.DataServices(DataServicesQuery{Classification: deResidence, Country: "DE", JurisdictionContext: "x", AdminLevel2: "DE3"})
			return err
		}, DSDBadParameterValue, ParamJurisdictionContext},
		{"DSD: region of another country", func() error {
			jd := d.byClass[deResidence].jurisdiction
			_, err := d.DataServices(DataServicesQuery{Classification: deResidence, Country: "DE", JurisdictionContext: jd.ContextID, AdminLevel2: "LV0"})
			return err
		}, DSDBadParameterValue, ParamAdminLevel2},
		{"DSD: region of wrong NUTS level", func() error {
			jd := d.byClass[deResidence].jurisdiction
			_, err := d.DataServices(DataServicesQuery{Classification: deResidence, Country: "DE", JurisdictionContext: jd.ContextID, AdminLevel2: "DE30"})
			return err
		}, DSDBadParameterValue, ParamAdminLevel2},
		{"DSD: region without provider", func() error {
			jd := d.byClass[deResidence].jurisdiction
			_, err := d.DataServices(DataServicesQuery{Classification: deResidence, Country: "DE", JurisdictionContext: jd.ContextID, AdminLevel2: "DE1"})
			return err
		}, DSDNoDataServices, ""},
		{"DSD: classification value not allowed", func() error {
			c := d.byClass[fiPension].concepts[0]
			_, err := d.DataServices(DataServicesQuery{Classification: fiPension, Country: "FI", Classifications: map[string]string{c.ID: "Lottery"}})
			return err
		}, DSDBadParameterValue, d.byClass[fiPension].concepts[0].ID},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			if got := CodeOf(err); got != tc.code {
				t.Fatalf("code %q (err %v), want %s", got, err, tc.code)
			}
			if !errors.Is(err, &QueryError{Code: tc.code}) {
				t.Errorf("errors.Is(err, QueryError{%s}) is false", tc.code)
			}
			var qe *QueryError
			if errors.As(err, &qe) {
				msg, typ, _ := tc.code.Info()
				if qe.Detail != tc.detail || qe.Message != msg || qe.Type != typ {
					t.Errorf("detail %q message %q type %q; want %q %q %q", qe.Detail, qe.Message, qe.Type, tc.detail, msg, typ)
				}
			}
		})
	}
}

// TestDirectoryAttributeFlow follows DSD:ERR:0005 to a provider: for DE
// proof of residence the user gives the Land, for FI pensions the scheme.
func TestDirectoryAttributeFlow(t *testing.T) {
	d := demo(t)
	tests := []struct {
		name      string
		slug      string
		country   string
		answer    func(AttributeRequest, *DataServicesQuery)
		wantParty []string
	}{
		{"DE residence, Hamburg", "proof-of-residence", "DE", func(r AttributeRequest, q *DataServicesQuery) {
			q.JurisdictionContext, q.AdminLevel2 = r.Jurisdiction.ContextID, "DE6"
		}, []string{"demo-de-hamburg-meldebehoerde"}},
		{"DE birth, Berlin", "proof-of-birth", "DE", func(r AttributeRequest, q *DataServicesQuery) {
			q.JurisdictionContext, q.AdminLevel2 = r.Jurisdiction.ContextID, "DE3"
		}, []string{"demo-de-berlin-standesamt"}},
		{"FI pension, earnings-related", "pension-entitlement", "FI", func(r AttributeRequest, q *DataServicesQuery) {
			q.Classifications = map[string]string{r.Classifications[0].ID: "EarningsRelatedPension"}
		}, []string{"demo-fi-etk"}},
		{"FI health insurance, residence-based", "health-insurance-status", "FI", func(r AttributeRequest, q *DataServicesQuery) {
			q.Classifications = map[string]string{r.Classifications[0].ID: "ResidenceBased"}
		}, []string{"demo-fi-kela"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := DataServicesQuery{Classification: classificationOf(t, d, tc.slug, tc.country), Country: tc.country}
			_, err := d.DataServices(q)
			var ae *AttributesRequiredError
			if !errors.As(err, &ae) || len(ae.Requests) != 1 {
				t.Fatalf("first query: %v, want one DSD:ERR:0005 request", err)
			}
			r := ae.Requests[0]
			if r.EvidenceType == nil || len(r.EvidenceType.Services) != 0 {
				t.Fatalf("request evidence type %+v, want one without services", r.EvidenceType)
			}
			for _, c := range r.Classifications {
				if len(c.SupportedValues) < 2 || c.Descriptions.Get("EN") == "" {
					t.Errorf("classification %s: values %v description %q", c.ID, c.SupportedValues, c.Descriptions.Get("EN"))
				}
			}
			if !strings.Contains(ae.Error(), "user-provided attributes required") {
				t.Errorf("error text %q", ae.Error())
			}
			q.EvidenceTypeID = r.EvidenceType.ID
			tc.answer(r, &q)
			ts, err := d.DataServices(q)
			if err != nil {
				t.Fatalf("second query: %v", err)
			}
			var got []string
			for _, s := range ts[0].Services {
				got = append(got, s.PartyID.Value)
				if len(ts[0].Classifications) != len(s.Provider.Classifications) {
					t.Errorf("%s: %d classification answers, want %d", s.PartyID.Value, len(s.Provider.Classifications), len(ts[0].Classifications))
				}
			}
			if !slices.Equal(got, tc.wantParty) {
				t.Errorf("providers %v, want %v", got, tc.wantParty)
			}
		})
	}
}

func TestDirectoryRequirementsAnswer(t *testing.T) {
	d := demo(t)
	reqs, err := d.Requirements(RequirementsQuery{Procedure: "W1", Country: "EE"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range reqs {
		ids = append(ids, r.ID)
		if len(r.ReferenceFrameworks) != 1 || r.ReferenceFrameworks[0].Jurisdiction.Country != "EE" || r.ReferenceFrameworks[0].Procedures[0] != "W1" {
			t.Errorf("%s: reference frameworks %+v", r.ID, r.ReferenceFrameworks)
		}
		if len(r.EvidenceTypeLists) != 0 {
			t.Errorf("%s: requirements answer carries evidence types", r.ID)
		}
	}
	if want := []string{reqID("proof-of-birth"), reqID("social-security-contributions")}; !slices.Equal(ids, want) {
		t.Errorf("W1 requirements %v, want %v", ids, want)
	}
}

// demoDirectory loads the demo directory's file (package demodir embeds
// it; this package's own tests cannot import that package).
func demoDirectory() (*Directory, error) {
	data, err := os.ReadFile(filepath.Join("demodir", "demodata.json"))
	if err != nil {
		return nil, err
	}
	return LoadDirectory(data)
}
