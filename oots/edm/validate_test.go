package edm

import (
	"sort"
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/internal/conformance"
	"github.com/vienreiz/vienreiz/internal/spectest"
)

// constructed returns the typical messages built from Go values, by name.
func constructed(t testing.TB) map[string][]byte {
	t.Helper()
	msgs := constructedMessages()
	for c, r := range errorResponses() {
		msgs["error-"+strings.ReplaceAll(string(c), ":", "")] = r
	}
	post := previewResponse()
	post.Exception.PreviewMethod = "POST"
	msgs["error-preview-post"] = post
	out := map[string][]byte{}
	for name, m := range msgs {
		data, err := m.Marshal(V1)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = data
	}
	return out
}

// TestValidatorAcceptsBuiltMessages runs the official v1.0 XSD and
// Schematron rules, in one validator call, on
//   - every typical message built from Go values, and
//   - the Build(Parse(x)) re-write of every v1.0 sample that Parse accepts
//     (it refuses the nonConformant ones);
//
// all must give 0 errors.
func TestValidatorAcceptsBuiltMessages(t *testing.T) {
	spectest.Validator(t) // fail early, with the reason, when tools are missing
	var docs []conformance.Doc
	built := constructed(t)
	for name, data := range built {
		docs = append(docs, conformance.Doc{Name: "built message " + name, Data: data})
	}
	for _, s := range completeSamples(t) {
		if s.msg.SpecVersion() != V1 || strings.Contains(s.name, "#") {
			continue // the validator knows v1.0 only
		}
		out, err := s.msg.Marshal(V1)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		docs = append(docs, conformance.Doc{Name: "rewrite of " + s.name, Data: out})
	}
	sort.Slice(docs, func(a, b int) bool { return docs[a].Name < docs[b].Name })
	clean := 0
	for _, r := range spectest.Validate(t, docs...) {
		if errs := r.Errors(); len(errs) > 0 {
			t.Errorf("%s: %d validator errors: %v", r.Name, len(errs), errs)
		} else {
			clean++
		}
	}
	if clean < 40 {
		t.Errorf("%d clean messages checked; expected ≥ 40", clean)
	}
	t.Logf("%d messages with 0 validator errors (%d built, the rest sample re-writes)", clean, len(built))
}
