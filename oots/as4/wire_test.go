package as4_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/vienreiz/vienreiz/internal/conformance"
	"github.com/vienreiz/vienreiz/internal/spectest"
	"github.com/vienreiz/vienreiz/oots/as4"
)

// TestWireEnvelopesValidate checks the envelopes as they travel — signed
// and encrypted user message, signed receipt with NRR, error signal —
// against the ebMS3 XSD with oots-validate.
func TestWireEnvelopesValidate(t *testing.T) {
	spectest.Validator(t)
	w := newWorld(t, 1)
	if _, err := w.memSender().Send(context.Background(), querySubmission(payload("p@x", as4.MimeEbRS, []byte("<q/>")))); err != nil {
		t.Fatal(err)
	}
	req := w.lastRequest()
	spool := &as4.Spool{Dir: t.TempDir()}
	defer spool.Cleanup()
	env, _, err := as4.ReadMIME(bytes.NewReader(req.body), req.contentType, as4.Limits{}, spool)
	if err != nil {
		t.Fatal(err)
	}
	_, m, receipt := post(t, w.servers[0].URL, req.contentType, req.body) // duplicate: the stored receipt
	if m.Signals[0].Receipt == nil {
		t.Fatalf("no receipt: %s", receipt)
	}
	_, m, errSignal := post(t, w.servers[0].URL, req.contentType, req.body[:len(req.body)/2])
	if ebmsError(m) == nil {
		t.Fatalf("no error signal: %s", errSignal)
	}
	var docs []conformance.Doc
	for name, data := range map[string][]byte{"request": env, "receipt": receipt, "error": errSignal} {
		if !bytes.Contains(data, []byte("Messaging")) {
			t.Fatalf("%s has no eb:Messaging", name)
		}
		docs = append(docs, conformance.Doc{Name: name, Data: data, Kind: conformance.EbMS})
	}
	for _, r := range spectest.Validate(t, docs...) {
		if errs := r.Errors(); len(errs) > 0 {
			t.Errorf("%s: %v", r.Name, errs)
		}
	}
}
