package provider

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/internal/spectest"
	"github.com/vienreiz/vienreiz/oots/edm"
)

// TestAnswersPassOOTSRules: the v1.0 answers the provider sends (preview
// required, evidence, refusal, expiry, unknown subject) pass the official
// XSD and Schematron rules.
func TestAnswersPassOOTSRules(t *testing.T) {
	tool := spectest.Validator(t)
	w := newWorld(t)
	dir := t.TempDir()
	var files []string
	keep := func(name string, a *answerMsg) {
		p := filepath.Join(dir, name+".xml")
		if err := os.WriteFile(p, a.edmRaw, 0o600); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
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

	cmd := exec.Command(tool, files...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("oots-validate: %v\n%s", err, out.String())
	}
}
