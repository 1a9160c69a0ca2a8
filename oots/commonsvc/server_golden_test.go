package commonsvc

import (
	"bytes"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// TestServerAnswersGolden pins the exact XML of representative answers
// (identifiers are derived from names, so answers are stable).
func TestServerAnswersGolden(t *testing.T) {
	d := demo(t)
	deBirth := classificationOf(t, d, "proof-of-birth", "DE")
	fiPension := classificationOf(t, d, "pension-entitlement", "FI")
	jd := d.byClass[deBirth].jurisdiction
	for _, tc := range []struct{ name, query string }{
		{"eb-requirements-R1-LV", RequirementsQuery{Procedure: "R1", Country: "LV"}.Values().Encode()},
		{"eb-evidence-types-birth-DE", EvidenceTypesQuery{RequirementID: reqID("proof-of-birth"), Country: "DE"}.Values().Encode()},
		{"eb-err-0002", EvidenceTypesQuery{RequirementID: reqID("nope"), Country: "DE"}.Values().Encode()},
		{"dsd-err-0005-birth-DE", DataServicesQuery{Classification: deBirth, Country: "DE"}.Values().Encode()},
		{"dsd-birth-DE3", DataServicesQuery{Classification: deBirth, Country: "DE", EvidenceTypeID: d.byClass[deBirth].id, JurisdictionContext: jd.ContextID, AdminLevel2: "DE3"}.Values().Encode()},
		{"dsd-err-0005-pension-FI", DataServicesQuery{Classification: fiPension, Country: "FI"}.Values().Encode()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			NewServer(d, nil).ServeHTTP(rec, httptest.NewRequest("GET", "/rest/search?"+tc.query, nil))
			if ct := rec.Header().Get("Content-Type"); rec.Code != 200 || ct != "application/xml; charset=utf-8" {
				t.Fatalf("HTTP %d, %s", rec.Code, ct)
			}
			path := filepath.Join("testdata", "golden", "server", tc.name+".xml")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, rec.Body.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("golden file (run go test -update): %v", err)
			}
			if !bytes.Equal(want, rec.Body.Bytes()) {
				t.Errorf("answer differs from %s:\n%s", path, rec.Body.Bytes())
			}
		})
	}
}
