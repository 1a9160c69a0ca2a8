package as4_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/internal/spectest"
	"github.com/vienreiz/vienreiz/oots/as4"
)

// TestWireEnvelopesValidate checks the envelopes as they travel — signed
// and encrypted user message, signed receipt with NRR, error signal —
// against the ebMS3 XSD with oots-validate.
func TestWireEnvelopesValidate(t *testing.T) {
	tool := spectest.Validator(t)
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
	dir := t.TempDir()
	var files []string
	for name, data := range map[string][]byte{"request.xml": env, "receipt.xml": receipt, "error.xml": errSignal} {
		if !bytes.Contains(data, []byte("Messaging")) {
			t.Fatalf("%s has no eb:Messaging", name)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	out, err := exec.Command(tool, append([]string{"--kind", "ebms"}, files...)...).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "3 files, 0 errors") {
		t.Fatalf("oots-validate: %v\n%s", err, out)
	}
}
