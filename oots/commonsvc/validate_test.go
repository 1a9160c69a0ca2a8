package commonsvc

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/vienreiz/vienreiz/internal/conformance"
	"github.com/vienreiz/vienreiz/internal/spectest"
)

// answerSet produces the server's answer to a spread of queries against d:
// successes of all three queries, DSD:ERR:0005 and its follow-ups, and an
// example of every EB:ERR and DSD:ERR code the server gives.
func answerSet(t *testing.T, d *Directory) map[string][]byte {
	t.Helper()
	srv := NewServer(d, nil)
	out := map[string][]byte{}
	get := func(name string, query string) {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest("GET", "/rest/search?"+query, nil))
		if rec.Code != 200 {
			t.Fatalf("%s: HTTP %d", name, rec.Code)
		}
		out[name] = rec.Body.Bytes()
	}
	countries := d.Countries()
	// Requirements: each procedure once (countries in turn), which covers
	// EB:ERR:0001 for procedures without requirements.
	i := 0
	for p := range d.procedures {
		c := countries[i%len(countries)]
		get("eb-req-"+p+"-"+c, RequirementsQuery{Procedure: p, Country: c}.Values().Encode())
		i++
	}
	// Evidence types: each requirement in the country of its first
	// evidence type, and once in a country without any.
	for i, r := range d.requirements {
		get(fmt.Sprintf("eb-evi-%d", i), EvidenceTypesQuery{RequirementID: r.id, Country: r.types[0].country}.Values().Encode())
	}
	get("eb-err-0001", EvidenceTypesQuery{RequirementID: d.requirements[0].id, Country: "ZZ"}.Values().Encode())
	get("eb-err-0002", EvidenceTypesQuery{RequirementID: "https://example.org/none", Country: countries[0]}.Values().Encode())
	get("eb-err-0003", RequirementsQuery{Country: countries[0]}.Values().Encode())
	get("eb-err-0004", RequirementsQuery{Procedure: "R1", Country: countries[0], AdminLevel2: "?"}.Values().Encode())
	get("eb-err-0005", RequirementsQuery{Procedure: "Q1", Country: countries[0]}.Values().Encode())
	get("eb-err-0006", RequirementsQuery{Procedure: "R1", Country: "ZZ"}.Values().Encode())
	get("eb-err-0007", "queryId=urn:fdc:oots:eb:ebxml-regrep:queries:none")
	get("dsd-err-0002", DataServicesQuery{Classification: "https://example.org/none", Country: countries[0]}.Values().Encode())
	get("dsd-err-0003", DataServicesQuery{Country: countries[0]}.Values().Encode())
	get("dsd-err-0004", "queryId=urn:fdc:oots:dsd:ebxml-regrep:queries:none")
	for _, et := range d.types {
		q := DataServicesQuery{Classification: et.classification, Country: et.country}
		get("dsd-"+et.slug, q.Values().Encode())
		if et == d.types[0] {
			get("dsd-err-0001", DataServicesQuery{Classification: et.classification, Country: "ZZ"}.Values().Encode())
		}
		if et.jurisdiction == nil && len(et.concepts) == 0 {
			continue
		}
		// Answer what DSD:ERR:0005 asks, once per provider.
		for _, p := range et.providers {
			a := q
			a.EvidenceTypeID = et.id
			if et.jurisdiction != nil {
				a.JurisdictionContext, a.AdminLevel2 = et.jurisdiction.ContextID, p.service.Provider.Jurisdiction.AdminLevel2
			}
			a.Classifications = map[string]string{}
			for i, c := range et.concepts {
				a.Classifications[c.ID] = p.values[et.conceptSlugs[i]][0]
			}
			get("dsd-"+et.slug+"-"+p.slug, a.Values().Encode())
			if len(et.concepts) > 0 {
				bad := a
				bad.Classifications = map[string]string{et.concepts[0].ID: "NoSuchValue"}
				get("dsd-err-0006-"+et.slug, bad.Values().Encode())
			}
		}
	}
	return out
}

// TestServerAnswersValidate runs oots-validate (XSD + v1.0 Schematron) over
// the server's answers in one call: answers of a fixture directory that
// uses Semantic Repository identifiers and of the demo directory (whose
// Finnish providers speak EDM v2.0 and so are left out of v1.0 answers)
// must give 0 errors.
func TestServerAnswersValidate(t *testing.T) {
	t.Parallel() // the JVM run dominates; let the other tests overlap it
	spectest.Validator(t)
	strictData, err := os.ReadFile(filepath.Join("testdata", "strict-directory.json"))
	if err != nil {
		t.Fatal(err)
	}
	strict, err := LoadDirectory(strictData)
	if err != nil {
		t.Fatal(err)
	}
	var docs []conformance.Doc
	for _, set := range []string{"strict", "demo"} {
		d := strict
		if set == "demo" {
			d = demo(t)
		}
		for name, body := range answerSet(t, d) {
			docs = append(docs, conformance.Doc{Name: set + "/" + name, Data: body})
		}
	}
	errs := 0
	for _, r := range spectest.Validate(t, docs...) {
		for _, f := range r.Errors() {
			errs++
			t.Errorf("%s: answer breaks a rule: %v", r.Name, f)
		}
	}
	t.Logf("validated %d answers, %d errors", len(docs), errs)
}
