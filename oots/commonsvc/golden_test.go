package commonsvc

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/internal/spectest"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// outcome is what a parse produced, in a stable JSON form for golden files.
type outcome struct {
	Requirements []Requirement             `json:",omitempty"`
	DataServices []DataServiceEvidenceType `json:",omitempty"`
	QueryError   *QueryError               `json:",omitempty"`
	Attributes   *AttributesRequiredError  `json:",omitempty"`
	Error        string                    `json:",omitempty"`
}

func outcomeOf(reqs []Requirement, dss []DataServiceEvidenceType, err error) outcome {
	o := outcome{Requirements: reqs, DataServices: dss}
	var q *QueryError
	var a *AttributesRequiredError
	switch {
	case errors.As(err, &a):
		o.Attributes = a
	case errors.As(err, &q):
		o.QueryError = q
	case err != nil:
		o.Error = err.Error()
	}
	return o
}

// checkGolden compares got (as indented JSON) with testdata/golden/name,
// rewriting it with -update.
func checkGolden(t *testing.T, name string, got any) {
	t.Helper()
	data, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, '\n')
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden file (run go test -update): %v", err)
	}
	if !bytes.Equal(want, data) {
		t.Errorf("%s differs from golden file; got:\n%s", name, data)
	}
}

// sampleKind says which parser reads a sample and what it must yield.
type sampleKind int

const (
	kindRequirements sampleKind = iota
	kindEvidenceTypes
	kindDataServices
)

// specSamples lists every complete common-services answer in oots-spec
// (v0.99, v1.0, v2.0), with the parser for it. Snippets and LCM are not
// query answers.
func specSamples(t testing.TB) map[string]sampleKind {
	dir := filepath.Join(spectest.Dir(t), "samples", "common-services")
	out := map[string]sampleKind{}
	for _, pattern := range []string{"v1.0/tdd-examples/EB/*.xml", "v1.0/tdd-examples/DSD/*.xml", "v0.99-governikus/*/*.xml", "v2.0-oots-france/*.xml"} {
		files, err := filepath.Glob(filepath.Join(dir, pattern))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			rel, _ := filepath.Rel(dir, f)
			base := filepath.Base(f)
			switch {
			case strings.Contains(rel, "/DSD/") || strings.HasPrefix(base, "dsd_"):
				out[rel] = kindDataServices
			case strings.Contains(base, "Evidence Type") || strings.HasPrefix(base, "eb_evidence_types"):
				out[rel] = kindEvidenceTypes
			default:
				out[rel] = kindRequirements
			}
		}
	}
	if len(out) < 25 {
		t.Fatalf("found only %d samples under %s", len(out), dir)
	}
	return out
}

// invalidSamples are samples that break RegRep 4 itself, with the error
// the parser must give. The pre-1.0 Governikus sample puts an
// sdg:DataServiceEvidenceType directly into a CollectionValueType (the
// schema allows only rim:Element children there).
var invalidSamples = map[string]string{
	"v0.99-governikus/DSD/Regrep-DSD-exception_more_provider_attributes.xml": `slot "DataServiceEvidenceType": rim:SlotValue: unexpected element: {http://data.europa.eu/p4s}DataServiceEvidenceType in a collection`,
}

func TestParseSpecSamplesGolden(t *testing.T) {
	dir := filepath.Join(spectest.Dir(t), "samples", "common-services")
	for rel, kind := range specSamples(t) {
		t.Run(rel, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, rel))
			if err != nil {
				t.Fatal(err)
			}
			var o outcome
			switch kind {
			case kindRequirements:
				r, err := ParseRequirements(data)
				o = outcomeOf(r, nil, err)
			case kindEvidenceTypes:
				r, err := ParseEvidenceTypes(data)
				o = outcomeOf(r, nil, err)
			case kindDataServices:
				d, err := ParseDataServices(data)
				o = outcomeOf(nil, d, err)
			}
			if want, bad := invalidSamples[rel]; bad {
				if !strings.Contains(o.Error, want) {
					t.Errorf("invalid sample: error %q, want one containing %q", o.Error, want)
				}
				return
			}
			if o.Error != "" {
				t.Errorf("sample does not parse: %s", o.Error)
			}
			isErrSample := strings.Contains(rel, "Error") || strings.Contains(rel, "ERR") || strings.Contains(rel, "exception") ||
				strings.Contains(rel, "vides") || strings.Contains(rel, "aucun") || strings.Contains(rel, "RequesterQuery") ||
				strings.Contains(rel, "Jurisdiction.xml") || strings.Contains(rel, "EPClassification")
			if isErrSample != (o.QueryError != nil || o.Attributes != nil) {
				t.Errorf("error sample = %v, but outcome has QueryError=%v Attributes=%v", isErrSample, o.QueryError != nil, o.Attributes != nil)
			}
			if !isErrSample && len(o.Requirements) == 0 && len(o.DataServices) == 0 {
				t.Errorf("answer sample yielded no results")
			}
			name := strings.NewReplacer("/", "__", " ", "_").Replace(strings.TrimSuffix(rel, ".xml")) + ".json"
			checkGolden(t, filepath.Join("samples", name), o)
		})
	}
}
