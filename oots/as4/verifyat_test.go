package as4_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/as4/keys/testpki"
)

// TestVerifyAtChecksCertificatesAtItsOwnTime: a message signed with a
// certificate that has since expired is refused at the message clock's
// time and accepted when VerifyAt is a time inside the validity, as when
// a saved message is re-verified at the time it was received.
func TestVerifyAtChecksCertificatesAtItsOwnTime(t *testing.T) {
	w := newWorld(t, 1)
	expired, err := w.pki.Issue("AP_LV_01", testpki.Expired) // valid until a day ago
	if err != nil {
		t.Fatal(err)
	}
	w.recvCfg.Parties["lv"].Cert = expired.Cert
	parts := []as4.Part{as4.BytesPart("p@x", as4.MimeEbRS, []byte("<q/>"))}
	url := w.servers[0].URL + "/as4"

	ct, body := w.craft(userMessage("late@lv", "p@x", false), parts, craftOpts{sign: true, encrypt: true, signer: expired})
	status, m, raw := post(t, url, ct, body)
	if e := ebmsError(m); status != http.StatusOK || e == nil || e.Code != as4.ErrFailedAuthentication.Code {
		t.Fatalf("without VerifyAt: %d %s; want EBMS:0101 FailedAuthentication", status, raw)
	}

	// The test CA became valid the moment this certificate ended, so its
	// last second is the time at which the whole chain is valid.
	w.recv[0].VerifyAt = func() time.Time { return expired.Cert.NotAfter }
	ct, body = w.craft(userMessage("saved@lv", "p@x", false), parts, craftOpts{sign: true, encrypt: true, signer: expired})
	status, m, raw = post(t, url, ct, body)
	if status != http.StatusOK || m == nil || len(m.Signals) == 0 || m.Signals[0].Receipt == nil {
		t.Fatalf("with VerifyAt inside the validity: %d %s; want a receipt", status, raw)
	}
	if got := w.deliveries(); len(got) != 1 || got[0].msg.MessageID != "saved@lv" {
		t.Fatalf("delivered %d messages; want saved@lv only", len(got))
	}
}
