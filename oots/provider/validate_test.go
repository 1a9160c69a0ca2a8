package provider

import (
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/internal/conformance"
	"github.com/vienreiz/vienreiz/internal/spectest"
	"github.com/vienreiz/vienreiz/oots/edm"
)

// TestAnswersPassOOTSRules: the v1.0 answers the provider sends (preview
// required, evidence, refusal, expiry, unknown subject) pass the official
// XSD and Schematron rules.
func TestAnswersPassOOTSRules(t *testing.T) {
	spectest.Validator(t) // fail early when the tools are missing
	w := newWorld(t)
	var docs []conformance.Doc
	keep := func(name string, a *answerMsg) {
		docs = append(docs, conformance.Doc{Name: name, Data: a.edmRaw})
	}
	birth := w.offer("LV", "birth")
	req := w.request(birth, "application/xml")
	a, _ := w.ask(req, edm.V1)
	keep("preview-required", a)
	loc := exception(t, a).Exception.PreviewLocation
	w.previewFlow(loc, "LV/LV/12345612345", DecisionApprove)
	a, _ = w.ask(req.AfterPreview(loc, time.Now()), edm.V1)
	keep("evidence", a)

	refused := w.request(birth, "application/pdf")
	a, _ = w.ask(refused, edm.V1)
	rloc := exception(t, a).Exception.PreviewLocation
	w.previewFlow(rloc, "LV/LV/12345612345", DecisionRefuse)
	a, _ = w.ask(refused.AfterPreview(rloc, time.Now()), edm.V1)
	keep("refused", a)

	expired := w.request(birth, "application/pdf")
	a, _ = w.ask(expired, edm.V1)
	eloc := exception(t, a).Exception.PreviewLocation
	w.clock.Add(time.Hour)
	a, _ = w.ask(expired.AfterPreview(eloc, time.Now()), edm.V1)
	keep("expired", a)

	unknown := w.request(birth, "application/pdf")
	unknown.NaturalPerson.Identifier = edm.Identifier{}
	a, _ = w.ask(unknown, edm.V1)
	keep("unknown-subject", a)

	for _, r := range spectest.Validate(t, docs...) {
		if errs := r.Errors(); len(errs) > 0 {
			t.Errorf("%s (%s): %v", r.Name, r.Kind, errs)
		}
	}
}
