package conformance_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/internal/conformance"
	"github.com/vienreiz/vienreiz/internal/spectest"
)

// officialV1 returns the official v1.0 EDM, EB and DSD samples (no snippets,
// no evidence payloads).
func officialV1(t *testing.T) []conformance.Doc {
	t.Helper()
	root := spectest.Dir(t)
	var docs []conformance.Doc
	for _, dir := range []string{"samples/edm/v1.0/tdd-examples", "samples/edm/v1.0/projectathon-testcases", "samples/common-services/v1.0/tdd-examples"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".xml") || strings.Contains(p, "Evidence Samples") || strings.Contains(p, "header") {
				return err
			}
			data, err := os.ReadFile(p)
			rel, _ := filepath.Rel(root, p)
			docs = append(docs, conformance.Doc{Name: rel, Data: data})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return docs
}

// The official samples pass the official rules, except the one the rules
// themselves refuse (country GR; the list has EL). Every kind is detected.
func TestOfficialSamples(t *testing.T) {
	t.Parallel() // JVM-bound; let the other tests overlap it
	docs := officialV1(t)
	res := spectest.Validate(t, docs...)
	kinds := map[conformance.Kind]int{}
	for _, r := range res {
		kinds[r.Kind]++
		errs := r.Errors()
		if strings.Contains(r.Name, "Tax - full example") && strings.Contains(r.Name, "Request") {
			if !r.HasRule("R-EDM-REQ-C067") {
				t.Errorf("%s: want R-EDM-REQ-C067 (country GR), got %v", r.Name, errs)
			}
			continue
		}
		if len(errs) > 0 {
			t.Errorf("%s (%s): %d errors: %v", r.Name, r.Kind, len(errs), errs)
		}
	}
	for _, k := range []conformance.Kind{conformance.EDMRequest, conformance.EDMResponse, conformance.EDMError,
		conformance.EBResponse, conformance.EBError, conformance.DSDResponse, conformance.DSDError, conformance.LCM} {
		if kinds[k] == 0 {
			t.Errorf("no sample of kind %s detected (%v)", k, kinds)
		}
	}
	t.Logf("%d official samples: %v", len(docs), kinds)
}

// A broken copy of an official request is refused with the rule's id, and
// a schema violation with an XSD finding.
func TestFindsBrokenRules(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join(spectest.Dir(t), "samples/edm/v1.0/projectathon-testcases/TC01_Request.xml"))
	if err != nil {
		t.Fatal(err)
	}
	mutate := func(old, new string) []byte {
		if !bytes.Contains(data, []byte(old)) {
			t.Fatalf("sample has no %q", old)
		}
		return bytes.Replace(data, []byte(old), []byte(new), 1)
	}
	docs := []conformance.Doc{
		{Name: "loa", Data: mutate("<sdg:LevelOfAssurance>High<", "<sdg:LevelOfAssurance>Medium<")},
		{Name: "xsd", Data: mutate("<sdg:LevelOfAssurance>", "<sdg:Bogus/><sdg:LevelOfAssurance>")},
		{Name: "not xml", Data: []byte("<a>")},
		{Name: "header", Data: []byte(`<eb:Messaging xmlns:eb="http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/"><eb:Nonsense/></eb:Messaging>`)},
	}
	res := spectest.Validate(t, docs...)
	if !res[0].HasRule("R-EDM-REQ-C037") {
		t.Errorf("LoA Medium: no rule named: %v", res[0].Findings)
	}
	for i, want := range []string{"", "XSD", "XML", "XSD"} {
		if want == "" {
			continue
		}
		if !hasSet(res[i], want) {
			t.Errorf("%s: want a %s finding, got %v", docs[i].Name, want, res[i].Findings)
		}
	}
	t.Logf("LoA Medium: %v", res[0].Errors())
}

func hasSet(r conformance.Result, set string) bool {
	for _, f := range r.Errors() {
		if f.RuleSet == set {
			return true
		}
	}
	return false
}

func TestRules(t *testing.T) {
	v := spectest.Validator(t)
	ids, err := v.Rules("EDM-REQ-C", "EDM-REQ-S")
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) < 90 || !strings.HasPrefix(ids[0], "R-EDM-REQ-") {
		t.Errorf("%d rules, first %q", len(ids), ids[0])
	}
	if _, err := v.Validate(context.Background(), nil); err != nil {
		t.Errorf("empty batch: %v", err)
	}
}
