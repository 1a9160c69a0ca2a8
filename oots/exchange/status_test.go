package exchange_test

import (
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

const clerkToken = "token-clerk"

// TestClerkPostsStatusTheCitizenReads: the status register (P8) — only a
// clerk may post; the message lands on the owner's timeline.
func TestClerkPostsStatusTheCitizenReads(t *testing.T) {
	tokens := exchange.BearerTokens{clerkToken: exchange.DemoClerk()}
	for k, v := range people {
		tokens[k] = v
	}
	base := start(t, exchange.Config{DataDir: t.TempDir(), Auth: tokens}).URL()
	var r api.Request
	call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"}, &r)

	var e api.ErrorBody
	if code := call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/status", api.StatusChange{Message: "approved by myself"}, &e); code != 403 || e.Error.Code != api.CodeForbidden {
		t.Fatalf("a citizen posting status: %d %+v, want 403", code, e)
	}
	for name, body := range map[string]any{"empty": api.StatusChange{Message: "  "}, "oversize": api.StatusChange{Message: strings.Repeat("x", 1025)}} {
		if code := call(t, base, clerkToken, "POST", "/v1/requests/"+r.ID+"/status", body, &e); code != 400 {
			t.Fatalf("%s message: %d", name, code)
		}
	}
	if code := call(t, base, clerkToken, "POST", "/v1/requests/no-such/status", api.StatusChange{Message: "x"}, &e); code != 404 {
		t.Fatalf("unknown request: %d", code)
	}
	var desk api.RequestList
	if call(t, base, clerkToken, "GET", "/v1/requests", nil, &desk); desk.Count != 1 || desk.Requests[0].ID != r.ID {
		t.Fatalf("the clerk's list: %+v", desk)
	}
	var read api.Request
	if code := call(t, base, clerkToken, "GET", "/v1/requests/"+r.ID, nil, &read); code != 200 || read.ID != r.ID {
		t.Fatalf("the clerk reading the request: %d", code)
	}
	if code := call(t, base, clerkToken, "POST", "/v1/requests/"+r.ID+"/cancel", nil, &e); code != 404 {
		t.Fatalf("a clerk cancelling a citizen's request: %d, want 404", code)
	}
	var after api.Request
	if code := call(t, base, clerkToken, "POST", "/v1/requests/"+r.ID+"/status", api.StatusChange{Message: "Your application is being reviewed."}, &after); code != 200 {
		t.Fatalf("clerk posting: %d", code)
	}
	var mine api.Request
	call(t, base, janisToken, "GET", "/v1/requests/"+r.ID, nil, &mine)
	last := mine.Timeline[len(mine.Timeline)-1]
	if last.Event != "status_posted" || last.Detail != "Your application is being reviewed." || mine.State != r.State {
		t.Fatalf("owner's timeline ends with %+v, state %s", last, mine.State)
	}
}

// TestClerkDecidesWithReasons: a decision is its own timeline event with
// the reasons whole; an unknown decision is refused and changes nothing.
func TestClerkDecidesWithReasons(t *testing.T) {
	tokens := exchange.BearerTokens{clerkToken: exchange.DemoClerk()}
	for k, v := range people {
		tokens[k] = v
	}
	base := start(t, exchange.Config{DataDir: t.TempDir(), Auth: tokens}).URL()
	var r api.Request
	call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"}, &r)
	var e api.ErrorBody
	if code := call(t, base, clerkToken, "POST", "/v1/requests/"+r.ID+"/status", api.StatusChange{Message: "x", Decision: "maybe"}, &e); code != 400 {
		t.Fatalf("unknown decision: %d", code)
	}
	reasons := "Approved.\nThe birth record from Latvia proves the child's name and date of birth."
	var after api.Request
	if code := call(t, base, clerkToken, "POST", "/v1/requests/"+r.ID+"/status", api.StatusChange{Message: reasons, Decision: api.DecisionApproved}, &after); code != 200 {
		t.Fatalf("deciding: %d", code)
	}
	var mine api.Request
	call(t, base, janisToken, "GET", "/v1/requests/"+r.ID, nil, &mine)
	last := mine.Timeline[len(mine.Timeline)-1]
	if last.Event != "application_approved" || last.Detail != reasons {
		t.Fatalf("owner's timeline ends with %+v", last)
	}
	for _, s := range mine.Timeline {
		if s.Event == "status_posted" {
			t.Fatalf("the refused decision left a step: %+v", s)
		}
	}
}
