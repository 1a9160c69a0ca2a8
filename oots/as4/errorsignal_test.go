package as4_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

// TestErrorSignalsAreSignedAsReceiptsAre (issue 10): when the P-Mode signs,
// our ebMS error signal is signed with our key, so a WSS4J-based peer can
// tell it from one forged on the path; the sender takes such a signed
// error as final.
func TestErrorSignalsAreSignedAsReceiptsAre(t *testing.T) {
	w := newWorld(t, 1)
	w.deliver = func(context.Context, *as4.Delivery) error { return errors.New("back office down") }
	ct, body := w.craft(userMessage("err@lv", "p@x", false), []as4.Part{as4.BytesPart("p@x", as4.MimeEbRS, []byte("<q/>"))},
		craftOpts{sign: true, encrypt: true, signer: w.lvID})
	status, m, raw := post(t, w.servers[0].URL+"/as4", ct, body)
	if e := ebmsError(m); status != http.StatusOK || e == nil || e.Code != as4.ErrDeliveryFailure.Code {
		t.Fatalf("answer %d: %s", status, raw)
	}
	doc, err := xmlsafe.ParseBytes(raw)
	if err != nil {
		t.Fatal(err)
	}
	cert, _, err := as4.WSS().Verify(doc, nil, w.trust, time.Now())
	if err != nil {
		t.Fatalf("our error signal does not verify: %v\n%s", err, raw)
	}
	if !cert.Equal(w.deID.Cert) {
		t.Fatalf("error signal signed by %s, want the receiving party", cert.Subject)
	}

	// Through the Sender: one attempt, the peer's (signed) error ends it.
	_, err = w.memSender().Send(context.Background(), querySubmission(payload("q@lv", as4.MimeEbRS, []byte("<q/>"))))
	var e *as4.Error
	if !errors.As(err, &e) || e.Code != as4.ErrDeliveryFailure.Code {
		t.Fatalf("send against a failing back office: %v, want the peer's %s", err, as4.ErrDeliveryFailure.Code)
	}
}

// TestUnsignedErrorSignalIsRetriedNotFinal (issue 10): where the P-Mode
// signs, an unsigned eb:Error (anyone on the path could send one) is not
// taken as the peer's answer: it is logged as unauthenticated and the
// message is sent again as if no answer had come, never failed for it.
func TestUnsignedErrorSignalIsRetriedNotFinal(t *testing.T) {
	w := newWorld(t, 1)
	var attempts atomic.Int32
	forger := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) {
		attempts.Add(1)
		sig := &as4.SignalMessage{MessageID: "forged@path", Timestamp: time.Now(),
			Errors: []*as4.Error{as4.ErrDeliveryFailure.Withf("", "forged failure")}}
		b, err := as4.NewEnvelope(&as4.Messaging{Signals: []*as4.SignalMessage{sig}}).WriteToBytes()
		if err != nil {
			t.Error(err)
		}
		rw.Header().Set("Content-Type", as4.MimeSOAP12)
		rw.Write(b)
	}))
	defer forger.Close()
	w.sendCfg.Parties["de"].Endpoints = []string{forger.URL + "/as4"}
	_, err := w.memSender().Send(context.Background(), querySubmission(payload("q@lv", as4.MimeEbRS, []byte("<q/>"))))
	if err == nil {
		t.Fatal("a forged error path delivered the message")
	}
	var e *as4.Error
	if errors.As(err, &e) && e.Code == as4.ErrDeliveryFailure.Code {
		t.Fatalf("the unsigned error was taken as final: %v", err)
	}
	if !strings.Contains(err.Error(), "unauthenticated") {
		t.Fatalf("error %v does not say the error signal was unauthenticated", err)
	}
	if n, want := attempts.Load(), int32(w.pm.Reliability.RetryCount+1); n != want {
		t.Fatalf("%d attempts, want %d (retried as if no answer had come)", n, want)
	}
}
