package exchange_test

import (
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

const clerkToken = "token-clerk"

// applicationForTheClerk starts a service with the demo clerk (clerkToken)
// and the test people, and Jānis's request for his proof of birth: the
// application the clerk posts on and decides.
func applicationForTheClerk(t *testing.T) (base string, r api.Request) {
	t.Helper()
	tokens := exchange.BearerTokens{clerkToken: exchange.DemoClerk()}
	for k, v := range people {
		tokens[k] = v
	}
	base = start(t, exchange.Config{DataDir: t.TempDir(), Auth: tokens}).URL()
	call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"}, &r)
	return base, r
}

// TestClerkPostsStatusTheCitizenReads: the status register (P8) — only a
// clerk may post; the message lands on the owner's timeline.
func TestClerkPostsStatusTheCitizenReads(t *testing.T) {
	base, r := applicationForTheClerk(t)

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
	if call(t, base, clerkToken, "GET", "/v1/desk", nil, &desk); desk.Count != 1 || desk.Requests[0].ID != r.ID {
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
	base, r := applicationForTheClerk(t)
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

// TestADecisionTakenMeanwhileIsNotTakenAgain: found by trying the desk as
// Anna with the network gone silent: she approved Baltic Timber's
// application, stopped waiting, and the service carried the approval out;
// her page still offered Approve without a word, and a second tap sent the
// company a second approval. Two clerks on the same application would do
// the same. A decision now names the one it replaces as the clerk saw it
// (none at first); one taken meanwhile is answered 409
// decided_meanwhile and changes nothing, and a decision changed on
// purpose (the page said what stood) is taken.
func TestADecisionTakenMeanwhileIsNotTakenAgain(t *testing.T) {
	base, r := applicationForTheClerk(t)
	decide := func(decision, replaces string) (int, api.ErrorBody) {
		var e api.ErrorBody
		code := call(t, base, clerkToken, "POST", "/v1/requests/"+r.ID+"/status", api.StatusChange{Message: "Reasons.", Decision: decision, Replaces: replaces}, &e)
		return code, e
	}
	decisions := func() (n int) {
		var mine api.Request
		call(t, base, janisToken, "GET", "/v1/requests/"+r.ID, nil, &mine)
		for _, s := range mine.Timeline {
			if s.Event == "application_approved" || s.Event == "application_refused" {
				n++
			}
		}
		return n
	}
	if code, _ := decide(api.DecisionApproved, ""); code != 200 {
		t.Fatalf("the first approval: %d", code)
	}
	if code, e := decide(api.DecisionApproved, ""); code != 409 || e.Error.Code != api.CodeDecidedMeanwhile {
		t.Fatalf("an approval from a page that saw no decision, after one: %d %+v, want 409 %s", code, e.Error, api.CodeDecidedMeanwhile)
	}
	if n := decisions(); n != 1 {
		t.Fatalf("%d decisions on the timeline, want the one", n)
	}
	if code, _ := decide(api.DecisionRefused, api.DecisionApproved); code != 200 {
		t.Fatalf("a refusal replacing the approval the clerk saw: %d, want 200", code)
	}
	if code, _ := decide(api.DecisionApproved, api.DecisionApproved); code != 409 {
		t.Fatalf("an approval replacing an approval no longer standing: %d, want 409", code)
	}
	if n := decisions(); n != 2 {
		t.Fatalf("%d decisions on the timeline, want 2", n)
	}
}
