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

// dirtySamples are the v1.0 samples whose original already fails the
// official rules (data, not structure): their re-writes keep those errors.
// Measured with oots-validate on the originals; see the tool's README.
var dirtySamples = map[string]string{
	"v0.99-governikus/Birth Certificate/oots_request.xml":                                                                                   "pre-1.0 code values",
	"v0.99-governikus/Birth Certificate/oots_response.xml":                                                                                  "pre-1.0 code values",
	"v0.99-governikus/Secondary Education Completion Evidence/oots_exception_preview.xml":                                                   "pre-1.0 code values, no error code",
	"v0.99-governikus/Secondary Education Completion Evidence/oots_request1_preview.xml":                                                    "pre-1.0 code values",
	"v0.99-governikus/Secondary Education Completion Evidence/oots_request2_after_preview.xml":                                              "pre-1.0 code values",
	"v0.99-governikus/Secondary Education Completion Evidence/oots_response.xml":                                                            "pre-1.0 code values",
	"v1.0/tdd-examples/4 Example for requesting an Extract of a Commercial Register/4.1 Step 1  Evidence Request  - Tax - full example.xml": "R-EDM-REQ-C067: country GR (the list has EL)",
}

// TestValidatorAcceptsBuiltMessages runs the official v1.0 XSD and
// Schematron rules, in one validator call, on
//   - every typical message built from Go values, and
//   - the Build(Parse(x)) re-write of every v1.0 sample;
//
// all must give 0 errors, except the re-writes of dirtySamples, which must
// give some (so a validator whose output is no longer understood fails).
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
	clean, dirty := 0, 0
	for _, r := range spectest.Validate(t, docs...) {
		errs := r.Errors()
		sample := strings.TrimPrefix(r.Name, "rewrite of ")
		switch reason, known := dirtySamples[sample]; {
		case known && len(errs) == 0:
			t.Errorf("%s: no validator error, expected the original's (%s): is the validator output still read?", r.Name, reason)
		case known:
			dirty++
		case len(errs) > 0:
			t.Errorf("%s: %d validator errors: %v", r.Name, len(errs), errs)
		default:
			clean++
		}
	}
	if dirty != len(dirtySamples) || clean < 40 {
		t.Errorf("%d clean and %d known-dirty messages checked; expected ≥ 40 and %d", clean, dirty, len(dirtySamples))
	}
	t.Logf("%d messages with 0 validator errors (%d built, the rest sample re-writes); %d known-dirty samples keep their errors", clean, len(built), dirty)
}
