package exchange_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/commonsvc"
	"github.com/vienreiz/vienreiz/oots/demonet"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// flakyNetwork is the embedded demo network whose Data Service Directory
// fails while down is set, as a directory that is briefly unreachable.
type flakyNetwork struct {
	down *atomic.Bool
}

func (n flakyNetwork) Connect(ctx context.Context, site exchange.Site) (*exchange.Connection, error) {
	conn, err := demonet.Embedded{}.Connect(ctx, site)
	if err != nil {
		return nil, err
	}
	conn.Directory = flakyDirectory{conn.Directory, n.down}
	return conn, nil
}

type flakyDirectory struct {
	exchange.Directory
	down *atomic.Bool
}

func (d flakyDirectory) DataServices(ctx context.Context, q commonsvc.DataServicesQuery) ([]commonsvc.DataServiceEvidenceType, error) {
	if d.down.Load() {
		return nil, errors.New("dial tcp: connection refused")
	}
	return d.Directory.DataServices(ctx, q)
}

// TestFailedLookUpMayBeRetried (issue 12 item 7): a request whose
// directory look-up failed is not lost: the citizen retries it (after a
// transient DSD failure) or answers the directory's question again, and
// the provider is found; once it is found, retry is refused.
func TestFailedLookUpMayBeRetried(t *testing.T) {
	var down atomic.Bool
	down.Store(true)
	base := start(t, exchange.Config{DataDir: t.TempDir(), Auth: people, Network: flakyNetwork{&down}}).URL()

	var r api.Request
	call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"}, &r)
	if r.State != "failed" || r.ErrorCode == "" {
		t.Fatalf("with the directory down: %s %q, want failed", r.State, r.ErrorCode)
	}
	var e api.ErrorBody
	if code := call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/retry", api.Attributes{}, &e); code != 200 {
		t.Fatalf("retry while still down: %d %+v, want 200 (failed again)", code, e)
	}
	down.Store(false)
	if code := call(t, base, ievaToken, "POST", "/v1/requests/"+r.ID+"/retry", api.Attributes{}, &e); code != 404 {
		t.Fatalf("someone else's retry: %d, want 404", code)
	}
	id := r.ID
	r = api.Request{}
	if code := call(t, base, janisToken, "POST", "/v1/requests/"+id+"/retry", api.Attributes{}, &r); code != 200 || r.State != "ready" || r.Provider == nil || r.ErrorCode != "" || r.Problem != "" {
		t.Fatalf("retry: %d %s %q %q provider %v, want ready with a provider and no problem", code, r.State, r.ErrorCode, r.Problem, r.Provider)
	}
	retries := 0
	for _, s := range r.Timeline {
		if s.Event == "retry" {
			retries++
		}
	}
	if retries != 2 {
		t.Fatalf("timeline %+v: %d retry entries, want 2", r.Timeline, retries)
	}
	if code := call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/retry", api.Attributes{}, &e); code != 409 {
		t.Fatalf("retry of a ready request: %d, want 409", code)
	}

	// Answering again: the answer's look-up fails; the retry carries a
	// new answer, checked like the first.
	call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "de-vehicle-registration", Requirement: proofOfResidence, Country: "DE"}, &r)
	q := r.Questions[0]
	down.Store(true)
	call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/attributes", api.Attributes{Values: map[string]string{q.Name: "DE6"}}, &r)
	if r.State != "failed" {
		t.Fatalf("answer with the directory down: %s, want failed", r.State)
	}
	down.Store(false)
	if code := call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/retry", api.Attributes{Values: map[string]string{q.Name: "Berlin"}}, &e); code != 400 {
		t.Fatalf("retry with free text: %d, want 400", code)
	}
	if code := call(t, base, janisToken, "POST", "/v1/requests/"+r.ID+"/retry", api.Attributes{Values: map[string]string{q.Name: "DE3"}}, &r); code != 200 || r.State != "ready" || r.Answers[q.Name] != "DE3" {
		t.Fatalf("retry with DE3: %d %s answers %v, want ready with DE3", code, r.State, r.Answers)
	}
}
