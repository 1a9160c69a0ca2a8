package commonsvc

import (
	"errors"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/vienreiz/vienreiz/internal/spectest"
)

// seedAnswers adds the spec samples and a few server answers to f.
func seedAnswers(f *testing.F) {
	dir := filepath.Join(spectest.Dir(f), "samples", "common-services")
	for rel := range specSamples(f) {
		if data, err := os.ReadFile(filepath.Join(dir, rel)); err == nil && len(data) < 64<<10 {
			f.Add(data)
		}
	}
	d, err := demoDirectory()
	if err != nil {
		f.Fatal(err)
	}
	if b, err := EncodeQueryError(newQueryError(EvidenceBroker, EBEmptyResult, "")); err == nil {
		f.Add(b)
	}
	if _, err := d.DataServices(DataServicesQuery{Classification: d.types[len(d.types)-2].classification, Country: "DE"}); err != nil {
		var ae *AttributesRequiredError
		if errors.As(err, &ae) {
			if b, err := EncodeAttributesRequired(ae); err == nil {
				f.Add(b)
			}
		}
	}
}

// roundTrip checks that what a parser accepted survives the server's
// writer: written again and parsed back it keeps its identifiers.
func roundTrip(t *testing.T, reqs []Requirement) {
	t.Helper()
	b, err := EncodeRequirements(reqs, "fuzz")
	if err != nil {
		t.Fatal(err)
	}
	again, err := ParseRequirements(b)
	if err != nil {
		t.Fatalf("re-encoded answer does not parse: %v\n%s", err, b)
	}
	if len(again) != len(reqs) {
		t.Fatalf("%d requirements after round trip, want %d", len(again), len(reqs))
	}
	for i := range reqs {
		if again[i].ID != reqs[i].ID || len(again[i].ReferenceFrameworks) != len(reqs[i].ReferenceFrameworks) ||
			len(again[i].EvidenceTypes()) != len(reqs[i].EvidenceTypes()) {
			t.Fatalf("requirement %d changed in round trip: %+v -> %+v", i, reqs[i], again[i])
		}
	}
}

func FuzzParseRequirements(f *testing.F) {
	seedAnswers(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := ParseRequirements(data)
		if err == nil {
			roundTrip(t, v)
		}
	})
}

func FuzzParseEvidenceTypes(f *testing.F) {
	seedAnswers(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := ParseEvidenceTypes(data)
		if err == nil {
			roundTrip(t, v)
			for _, r := range v {
				if len(r.EvidenceTypeLists) == 0 {
					t.Fatal("evidence types answer accepted without lists")
				}
			}
		}
	})
}

func FuzzParseDataServices(f *testing.F) {
	seedAnswers(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := ParseDataServices(data)
		if err == nil {
			b, err := EncodeDataServices(v, "fuzz")
			if err != nil {
				t.Fatal(err)
			}
			again, err := ParseDataServices(b)
			if err != nil || len(again) != len(v) {
				t.Fatalf("re-encoded answer: %v, %d of %d types\n%s", err, len(again), len(v), b)
			}
			for i := range v {
				if again[i].ID != v[i].ID || len(again[i].Services) != len(v[i].Services) {
					t.Fatalf("type %d changed in round trip: %+v -> %+v", i, v[i], again[i])
				}
			}
		}
		var ae *AttributesRequiredError
		if errors.As(err, &ae) {
			for _, r := range ae.Requests {
				if r.Jurisdiction == nil && len(r.Classifications) == 0 {
					t.Fatal("DSD:ERR:0005 accepted without anything to ask")
				}
			}
		}
	})
}

// FuzzServerQuery sends arbitrary query strings to the embedded server:
// every answer must be HTTP 200 and a query response the client parses
// into results or a code-list error.
func FuzzServerQuery(f *testing.F) {
	for _, q := range []string{
		RequirementsQuery{Procedure: "R1", Country: "LV"}.Values().Encode(),
		EvidenceTypesQuery{RequirementID: reqID("proof-of-birth"), Country: "DE"}.Values().Encode(),
		DataServicesQuery{Classification: "x", Country: "DE", AdminLevel2: "DE3", Classifications: map[string]string{"a": "b"}}.Values().Encode(),
		"queryId=%zz", "", "a=b&a=c",
	} {
		f.Add(q)
	}
	d, err := demoDirectory()
	if err != nil {
		f.Fatal(err)
	}
	srv := NewServer(d, nil)
	f.Fuzz(func(t *testing.T, raw string) {
		req := httptest.NewRequest("GET", "/rest/search", nil)
		req.URL.RawQuery = raw
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Fatalf("HTTP %d for %q", rec.Code, raw)
		}
		var err error
		switch url.Values(req.URL.Query()).Get(ParamQueryID) {
		case QueryDataServices:
			_, err = ParseDataServices(rec.Body.Bytes())
		case QueryEvidenceTypes:
			_, err = ParseEvidenceTypes(rec.Body.Bytes())
		default:
			_, err = ParseRequirements(rec.Body.Bytes())
		}
		if err != nil && CodeOf(err) == "" {
			t.Fatalf("answer to %q does not parse: %v", raw, err)
		}
	})
}
