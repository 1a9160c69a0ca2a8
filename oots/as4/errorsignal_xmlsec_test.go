package as4_test

import (
	"context"
	"encoding/pem"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/oots/as4"
)

// TestXmlsec1VerifiesOurSignedErrorSignal (issue 10): the ebMS error
// signal our receiver signs is checked by an independent verifier,
// libxmlsec1, with the receiving party's certificate and the wsu:Id
// attributes declared as IDs: every reference and the signature value
// verify. The same error with a changed description, or checked against
// the other party's certificate, fails.
func TestXmlsec1VerifiesOurSignedErrorSignal(t *testing.T) {
	tool, err := exec.LookPath("xmlsec1")
	if err != nil {
		t.Skipf("xmlsec1 not installed (apt-get install xmlsec1; CI installs it): %v", err)
	}
	w := newWorld(t, 1)
	w.deliver = func(context.Context, *as4.Delivery) error { return errors.New("back office down") }
	ct, body := w.craft(userMessage("err@lv", "p@x", false), []as4.Part{as4.BytesPart("p@x", as4.MimeEbRS, []byte("<q/>"))},
		craftOpts{sign: true, encrypt: true, signer: w.lvID})
	status, m, raw := post(t, w.servers[0].URL+"/as4", ct, body)
	if e := ebmsError(m); status != http.StatusOK || e == nil || e.Code != as4.ErrDeliveryFailure.Code {
		t.Fatalf("answer %d: %s", status, raw)
	}
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	de := write("de.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: w.deID.Cert.Raw}))
	lv := write("lv.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: w.lvID.Cert.Raw}))
	verify := func(cert, file string) (string, error) {
		out, err := exec.Command(tool, "--verify", "--pubkey-cert-pem", cert,
			"--id-attr:Id", "Messaging", "--id-attr:Id", "Body", file).CombinedOutput()
		return string(out), err
	}

	signed := write("error-signal.xml", raw)
	out, err := verify(de, signed)
	if err != nil || !strings.Contains(out, "OK") || !strings.Contains(out, "SignedInfo References (ok/all): 2/2") {
		t.Fatalf("xmlsec1 did not verify our signed error signal: %v\n%s\n%s", err, out, raw)
	}
	if !strings.Contains(string(raw), `errorCode="`+as4.ErrDeliveryFailure.Code+`"`) {
		t.Fatalf("the signed answer is not the %s error signal:\n%s", as4.ErrDeliveryFailure.Code, raw)
	}
	forged := strings.Replace(string(raw), `errorCode="`+as4.ErrDeliveryFailure.Code+`"`, `errorCode="EBMS:0004"`, 1)
	if out, err := verify(de, write("forged.xml", []byte(forged))); err == nil || !strings.Contains(out, "data and digest do not match") {
		t.Fatalf("xmlsec1 accepted an error signal with a changed code: %v\n%s", err, out)
	}
	if out, err := verify(lv, signed); err == nil {
		t.Fatalf("xmlsec1 verified our error signal with the other party's certificate:\n%s", out)
	}
}
