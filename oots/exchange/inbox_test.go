package exchange_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

func inboxEvents(in api.Inbox) string {
	var e []string
	for _, it := range in.Items {
		e = append(e, it.Event)
	}
	return strings.Join(e, ",")
}

// TestInboxFollowsTheRequestAndKeepsReadState drives one request through
// the demo network and reads the owner's inbox on the way: "ready to
// preview" names the service, the evidence and the provider, and leaves
// once the preview is decided; delivery, the offer and a clerk's message
// (from the service's institution) arrive; read state is kept per item
// and for all; nobody else sees any of it.
func TestInboxFollowsTheRequestAndKeepsReadState(t *testing.T) {
	tokens := exchange.BearerTokens{"token-clerk": roleTokens["token-clerk"]}
	for k, v := range people {
		tokens[k] = v
	}
	base := start(t, exchange.Config{DataDir: t.TempDir(), Auth: tokens}).URL()
	var r api.Request
	call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"}, &r)
	call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/explicit-request", nil, &r)
	waitState(t, base, janisToken, r.ID, "preview_required")

	var in api.Inbox
	call(t, base, janisToken, "GET", "/v1/inbox", nil, &in)
	if in.Count != 1 || in.Unread != 1 {
		t.Fatalf("inbox while the preview waits: %+v", in)
	}
	p := in.Items[0]
	if p.Event != "preview_requested" || !p.ActionNeeded || p.Read || p.RequestID != r.ID || p.ServiceID != "lv-birth-certificate" ||
		p.Requirement != proofOfBirth || p.Evidence["en"] == "" || p.From.Kind != api.SenderProvider || p.From.ID == "" || p.From.Names["lv"] == "" {
		t.Fatalf("the preview's item does not say what it is about or who sent it: %+v", p)
	}

	call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/preview", nil, &r)
	call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/preview/decision", api.Decision{Decision: "approve"}, &r)
	waitState(t, base, janisToken, r.ID, "delivered")
	if code := call(t, base, "token-clerk", "POST", "/v1/requests/"+r.ID+"/status", api.StatusChange{Message: "Received, thank you."}, nil); code != http.StatusOK {
		t.Fatalf("the clerk's message: %d", code)
	}
	call(t, base, janisToken, "GET", "/v1/inbox", nil, &in)
	if got := inboxEvents(in); got != "status_posted,offered,evidence_delivered" || in.Unread != 3 {
		t.Fatalf("inbox after delivery: %s, %d unread; want status_posted,offered,evidence_delivered (the preview's item gone), 3 unread", got, in.Unread)
	}
	if m := in.Items[0]; m.Detail != "Received, thank you." || m.From.Kind != api.SenderInstitution || m.From.ID != "LV-DZS" || m.From.Names["lv"] == "" {
		t.Fatalf("the clerk's message: %+v", m)
	}

	var read api.InboxRead
	if code := call(t, base, ievaToken, "POST", "/v1/inbox/"+in.Items[0].ID+"/read", nil, nil); code != http.StatusNotFound {
		t.Fatalf("another person marks my message read: %d, want 404", code)
	}
	if code := call(t, base, janisToken, "POST", "/v1/inbox/"+in.Items[0].ID+"/read", nil, &read); code != http.StatusOK || read.Unread != 2 {
		t.Fatalf("mark one read: %d, %+v", code, read)
	}
	call(t, base, janisToken, "GET", "/v1/inbox", nil, &in)
	if !in.Items[0].Read || in.Items[1].Read || in.Unread != 2 {
		t.Fatalf("after marking one read: %+v", in)
	}
	if code := call(t, base, janisToken, "POST", "/v1/inbox/read", nil, &read); code != http.StatusOK || read.Unread != 0 {
		t.Fatalf("mark all read: %d, %+v", code, read)
	}
	var theirs api.Inbox
	if call(t, base, ievaToken, "GET", "/v1/inbox", nil, &theirs); theirs.Count != 0 {
		t.Fatalf("another person's inbox shows %+v", theirs.Items)
	}
}
