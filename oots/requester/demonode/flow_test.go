package demonode_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/edm"
	"github.com/vienreiz/vienreiz/oots/provider"
	"github.com/vienreiz/vienreiz/oots/requester"
	"github.com/vienreiz/vienreiz/oots/requester/demonode"
)

// TestPreviewApproveDeliver is the whole exchange over real HTTP: EB/DSD
// look-up → Send → EDM:ERR:0002 → the citizen approves on the preview
// space → Send again with the location, same ExchangeId → QueryResponse
// with the evidence in a file whose SHA-256 matches.
func TestPreviewApproveDeliver(t *testing.T) {
	w := newWorld(t)
	q := w.query("birth", "application/xml")
	loc := w.previewRequired(q)
	if !strings.HasPrefix(loc, w.node.PreviewURL+"/") {
		t.Fatalf("preview location %q is not below %q", loc, w.node.PreviewURL)
	}
	w.decide(loc, q.Subject.Identifier, provider.DecisionApprove)

	q.PreviewLocation = loc
	sent := w.send(q)
	a := w.next()
	qr, ok := a.Message.(*edm.QueryResponse)
	if !ok {
		t.Fatalf("after approval: %T (%s), want a QueryResponse", a.Message, a.Action)
	}
	if a.RefToMessageID != sent.MessageID || a.ExchangeID != q.ExchangeID || qr.ExchangeID != q.ExchangeID || qr.RequestID != sent.RequestID {
		t.Fatalf("response ties: ref %q exchange %q/%q request %q; want %q %q %q", a.RefToMessageID, a.ExchangeID, qr.ExchangeID, qr.RequestID, sent.MessageID, q.ExchangeID, sent.RequestID)
	}
	if len(qr.Evidence) != 1 || len(a.Attachments) != 1 {
		t.Fatalf("evidence %d, attachments %d; want 1 and 1", len(qr.Evidence), len(a.Attachments))
	}
	att := a.Attachments[0]
	if att.ContentID != qr.Evidence[0].Attachment.ContentID() || att.ContentType != "application/xml" {
		t.Errorf("attachment %s (%s); evidence names %s", att.ContentID, att.ContentType, qr.Evidence[0].Attachment.Href)
	}
	data, err := os.ReadFile(att.Path)
	if err != nil {
		t.Fatalf("attachment file: %v", err)
	}
	if sha256.Sum256(data) != att.SHA256 || int64(len(data)) != att.Size {
		t.Errorf("attachment file: %d bytes, sha256 %x; answer says %d bytes, %x", len(data), sha256.Sum256(data), att.Size, att.SHA256)
	}
	if !bytes.Contains(data, []byte("Bērziņa")) {
		t.Errorf("evidence document lacks the subject's family name: %.200q", data)
	}
	w.noMore(300 * time.Millisecond)
}

// TestRefused: the citizen refuses; the second request gets EDM:ERR:0008
// with the provider's refusal message and no attachment.
func TestRefused(t *testing.T) {
	w := newWorld(t)
	q := w.query("birth", "application/pdf")
	loc := w.previewRequired(q)
	w.decide(loc, q.Subject.Identifier, provider.DecisionRefuse)
	q.PreviewLocation = loc
	w.send(q)
	a := w.next()
	x := exception(t, a)
	if x.Exception.Code != edm.CodeQueryException || x.Exception.Message != provider.MessageRefused || len(a.Attachments) != 0 {
		t.Fatalf("refusal: %s %q with %d attachments; want %s %q and none", x.Exception.Code, x.Exception.Message, len(a.Attachments), edm.CodeQueryException, provider.MessageRefused)
	}
}

// TestRequesterEndpointOneDown: the answer arrives through the
// requester's second access point.
func TestRequesterEndpointOneDown(t *testing.T) {
	w := newWorld(t)
	w.down[demonode.SideRequester][0].Store(true)
	w.previewRequired(w.query("birth", "application/pdf"))
	if got := w.served[demonode.SideRequester][1].Load(); got != 1 {
		t.Fatalf("requester endpoint 2 served %d posts, want 1", got)
	}
	if got := w.served[demonode.SideRequester][0].Load(); got != 0 {
		t.Fatalf("requester endpoint 1 (down) served %d posts", got)
	}
}

// TestProviderEndpointOneDown: the request goes through the provider's
// second access point.
func TestProviderEndpointOneDown(t *testing.T) {
	w := newWorld(t)
	w.down[demonode.SideProvider][0].Store(true)
	q := w.query("birth", "application/pdf")
	sent := w.send(q)
	if sent.Endpoint != w.node.ProviderEndpoints[1] || sent.Attempts != 2 {
		t.Fatalf("acknowledged by %s after %d posts; want %s after 2", sent.Endpoint, sent.Attempts, w.node.ProviderEndpoints[1])
	}
	if x := exception(t, w.next()); !x.PreviewRequired() {
		t.Fatalf("answer %s, want preview required", x.Exception.Code)
	}
}

// TestRestartSendsOutboxOnce: both provider access points are down, Send
// gives up waiting (ErrQueued), the requester restarts, the provider comes
// back: the queued request is sent once and answered once.
func TestRestartSendsOutboxOnce(t *testing.T) {
	w := newWorld(t)
	for i := range 2 {
		w.down[demonode.SideProvider][i].Store(true)
	}
	q := w.query("birth", "application/pdf")
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	sent, err := w.node.Requester().Send(ctx, q)
	cancel()
	if !errors.Is(err, requester.ErrQueued) || sent.MessageID == "" {
		t.Fatalf("send with the provider down: %+v, %v; want ErrQueued with a MessageId", sent, err)
	}
	if err := w.node.RestartRequester(context.Background()); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		w.down[demonode.SideProvider][i].Store(false)
	}
	a := w.next()
	if x := exception(t, a); !x.PreviewRequired() || a.RefToMessageID != sent.MessageID {
		t.Fatalf("after restart: %s to %q; want preview required to %q", x.Exception.Code, a.RefToMessageID, sent.MessageID)
	}
	w.noMore(time.Second)
	if got := w.served[demonode.SideProvider][0].Load() + w.served[demonode.SideProvider][1].Load(); got != 1 {
		t.Fatalf("provider listeners served %d posts after coming back, want 1", got)
	}
}

// TestOnAnswerFailsOnce: the callback fails the first time; the provider
// sends the answer again and it is delivered once.
func TestOnAnswerFailsOnce(t *testing.T) {
	w := newWorld(t)
	w.fail.Store(1)
	w.previewRequired(w.query("birth", "application/pdf"))
	w.noMore(time.Second)
	if got := w.calls.Load(); got != 2 {
		t.Fatalf("OnAnswer called %d times, want 2 (one failure, one delivery)", got)
	}
}

// TestOtherProviders: a Finnish provider speaking EDM v2.0 and a German
// one found through a jurisdiction question (whose party id the P-Modes
// do not list, so the default party takes it) both answer.
func TestOtherProviders(t *testing.T) {
	w := newWorld(t)
	for _, tt := range []struct {
		country, region, word, party string
		version                      edm.Version
	}{
		{"FI", "", "birth", "demo-fi-dvv", "oots-edm:v2.0"},
		{"DE", "DE3", "registration", "demo-de-berlin-meldebehoerde", edm.V1},
	} {
		t.Run(tt.country, func(t *testing.T) {
			q := w.queryIn(tt.country, tt.region, tt.word, "application/pdf")
			if q.Provider.PartyID.Value != tt.party {
				t.Fatalf("DSD named %s, want %s", q.Provider.PartyID.Value, tt.party)
			}
			w.send(q)
			a := w.next()
			x := exception(t, a)
			if !x.PreviewRequired() || x.SpecVersion() != tt.version {
				t.Fatalf("answer %s in %s; want preview required in %s", x.Exception.Code, x.SpecVersion(), tt.version)
			}
		})
	}
}

// TestEvidenceRetriedAfterCallbackFailure: the callback fails on the
// evidence answer; the provider sends it again and the retry carries the
// evidence file intact.
func TestEvidenceRetriedAfterCallbackFailure(t *testing.T) {
	w := newWorld(t)
	q := w.query("birth", "application/pdf")
	loc := w.previewRequired(q)
	w.decide(loc, q.Subject.Identifier, provider.DecisionApprove)
	q.PreviewLocation = loc
	w.fail.Store(1)
	before := w.calls.Load()
	w.send(q)
	a := w.next()
	if _, ok := a.Message.(*edm.QueryResponse); !ok || len(a.Attachments) != 1 {
		t.Fatalf("retried answer: %T with %d attachments", a.Message, len(a.Attachments))
	}
	data, err := os.ReadFile(a.Attachments[0].Path)
	if err != nil || sha256.Sum256(data) != a.Attachments[0].SHA256 || !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Fatalf("evidence file after the retry: %v, %.20q", err, data)
	}
	if got := w.calls.Load() - before; got != 2 {
		t.Fatalf("OnAnswer called %d times for the evidence, want 2", got)
	}
	w.noMore(500 * time.Millisecond)
}

// TestAnswerOnceAcrossListeners: the provider's answer, posted again to
// the requester's second listener, gets the stored receipt and is not
// delivered a second time (one duplicate store for both listeners).
func TestAnswerOnceAcrossListeners(t *testing.T) {
	w := newWorld(t)
	w.previewRequired(w.query("birth", "application/pdf"))
	w.mu.Lock()
	p := w.posts[len(w.posts)-1]
	w.mu.Unlock()
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Post(w.node.RequesterEndpoints[1], p.contentType, bytes.NewReader(p.body))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte("Receipt")) {
		t.Fatalf("replay on listener 2: status %d %.300q; want the stored receipt", resp.StatusCode, body)
	}
	w.noMore(time.Second)
	if got := w.calls.Load(); got != 1 {
		t.Fatalf("OnAnswer called %d times, want 1", got)
	}
}

// TestSendAgainIsTakenOnce: the exchange service asks to send a request
// it already sent (it crashed before recording the acknowledgement). The
// request keeps its MessageId, nothing more reaches the provider, and the
// provider answers once; the second request of the exchange (with the
// PreviewLocation) is a message of its own.
func TestSendAgainIsTakenOnce(t *testing.T) {
	w := newWorld(t)
	q := w.query("birth", "application/pdf")
	first := w.send(q)
	loc := exception(t, w.next()).Exception.PreviewLocation
	served := w.served[demonode.SideProvider][0].Load() + w.served[demonode.SideProvider][1].Load()
	again := w.send(q)
	if again.MessageID != first.MessageID {
		t.Fatalf("the same request got a new MessageId: %s, then %s", first.MessageID, again.MessageID)
	}
	w.noMore(time.Second)
	if got := w.served[demonode.SideProvider][0].Load() + w.served[demonode.SideProvider][1].Load(); got != served {
		t.Fatalf("sending again posted %d more messages to the provider, want none", got-served)
	}
	q.PreviewLocation = loc
	if second := w.send(q); second.MessageID == first.MessageID {
		t.Fatal("the request with the PreviewLocation reused the first MessageId")
	}
}
