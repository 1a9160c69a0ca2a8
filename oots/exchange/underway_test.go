package exchange_test

import (
	"context"
	"database/sql"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// TestEvidenceUnderWayIsAskedForOnce: while a person's request for a piece
// of evidence is under way, asking for the same evidence again (the same
// service, requirement and country; a script, a portal, a second device)
// answers that request, 200 rather than 201, and asks the provider
// nothing more; at once from eight clients too. Another country is
// another request, and once the first has ended a new one may be made.
// A failed request is not retried into a second one under way (409).
func TestEvidenceUnderWayIsAskedForOnce(t *testing.T) {
	var down atomic.Bool
	base := start(t, exchange.Config{DataDir: t.TempDir(), Auth: people, Network: flakyNetwork{&down}}).URL()
	birth := api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"}

	var first, again api.Request
	if code := call(t, base, janisToken, "POST", "/v1/requests", birth, &first); code != http.StatusCreated {
		t.Fatalf("first POST: %d", code)
	}
	if code := call(t, base, janisToken, "POST", "/v1/requests", birth, &again); code != http.StatusOK || again.ID != first.ID {
		t.Fatalf("the same evidence again while under way: %d, request %s, want 200 and %s", code, again.ID, first.ID)
	}
	var ievas api.Request
	if code := call(t, base, ievaToken, "POST", "/v1/requests", birth, &ievas); code != http.StatusCreated || ievas.ID == first.ID {
		t.Fatalf("another person asking for the same: %d, request %s", code, ievas.ID)
	}
	estonian := birth
	estonian.Country = "EE"
	var ee api.Request
	if code := call(t, base, janisToken, "POST", "/v1/requests", estonian, &ee); code != http.StatusCreated || ee.ID == first.ID {
		t.Fatalf("the same evidence from another country: %d, request %s", code, ee.ID)
	}

	// Eight clients at once for evidence not asked for yet: one request.
	lithuanian := api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LT"}
	postAtOnce(t, base, janisToken, lithuanian, 8)
	var list api.RequestList
	call(t, base, janisToken, "GET", "/v1/requests", nil, &list)
	if list.Count != 3 {
		t.Fatalf("Jānis has %d requests, want 3 (LV, EE, LT)", list.Count)
	}

	// Ended: the next one is a new request.
	if code := call(t, base, janisToken, "POST", "/v1/requests/"+first.ID+"/cancel", nil, nil); code != http.StatusOK {
		t.Fatalf("cancel: %d", code)
	}
	var next api.Request
	if code := call(t, base, janisToken, "POST", "/v1/requests", birth, &next); code != http.StatusCreated || next.ID == first.ID {
		t.Fatalf("after the first ended: %d, request %s", code, next.ID)
	}

	// A look-up that failed, retried while another request for the same
	// evidence is under way: refused, naming the one under way.
	down.Store(true)
	ievasEE := estonian
	var failed api.Request
	call(t, base, ievaToken, "POST", "/v1/requests", ievasEE, &failed)
	if failed.State != "failed" {
		t.Fatalf("with the directory down: %s, want failed", failed.State)
	}
	down.Store(false)
	var open api.Request
	if code := call(t, base, ievaToken, "POST", "/v1/requests", ievasEE, &open); code != http.StatusCreated || open.ID == failed.ID {
		t.Fatalf("after a failed look-up: %d, request %s, want a new one", code, open.ID)
	}
	var e api.ErrorBody
	if code := call(t, base, ievaToken, "POST", "/v1/requests/"+failed.ID+"/retry", api.Attributes{}, &e); code != http.StatusConflict ||
		e.Error.Code != api.CodeUnderWay || !strings.Contains(e.Error.Message, open.ID) {
		t.Fatalf("retrying the failed one while %s is under way: %d %+v, want 409 %s naming it", open.ID, code, e, api.CodeUnderWay)
	}
}

// TestARequestUnderWayBeforeTheUpgradeIsFound: a database stored before
// open keys has requests under way without one; after the next start a
// POST for the same evidence answers the request under way, and one that
// ended stays ended.
func TestARequestUnderWayBeforeTheUpgradeIsFound(t *testing.T) {
	dir := t.TempDir()
	cfg := exchange.Config{DataDir: dir, Auth: people}
	s := start(t, cfg)
	birth := api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"}
	estonian := birth
	estonian.Country = "EE"
	var waiting, cancelled api.Request
	call(t, s.URL(), janisToken, "POST", "/v1/requests", birth, &waiting)
	call(t, s.URL(), janisToken, "POST", "/v1/requests", estonian, &cancelled)
	call(t, s.URL(), janisToken, "POST", "/v1/requests/"+cancelled.ID+"/cancel", nil, nil)
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, exchange.DatabaseFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`UPDATE requests SET open_key = NULL`, `INSERT INTO open_key_backfill (pending) VALUES (1)`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	base := start(t, cfg).URL()
	var again, eeAgain api.Request
	if code := call(t, base, janisToken, "POST", "/v1/requests", birth, &again); code != http.StatusOK || again.ID != waiting.ID {
		t.Fatalf("the evidence under way since before the upgrade: %d, request %s, want 200 and %s", code, again.ID, waiting.ID)
	}
	if code := call(t, base, janisToken, "POST", "/v1/requests", estonian, &eeAgain); code != http.StatusCreated || eeAgain.ID == cancelled.ID {
		t.Fatalf("the evidence of a request that ended: %d, request %s", code, eeAgain.ID)
	}
}

// postAtOnce POSTs in as token from n clients at once and returns the
// request they were answered with, failing unless it is the same for all
// and exactly one answer was 201 Created (the others 200).
func postAtOnce(t *testing.T, base, token string, in api.NewRequest, n int) string {
	t.Helper()
	codes, ids := make([]int, n), make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			var r api.Request
			codes[i] = call(t, base, token, "POST", "/v1/requests", in, &r)
			ids[i] = r.ID
		})
	}
	wg.Wait()
	created := 0
	for i := range n {
		switch {
		case codes[i] == http.StatusCreated:
			created++
		case codes[i] != http.StatusOK:
			t.Fatalf("a POST of the %d at once: %d", n, codes[i])
		}
		if ids[i] != ids[0] {
			t.Fatalf("%d POSTs at once made requests %s and %s", n, ids[0], ids[i])
		}
	}
	if created != 1 {
		t.Fatalf("%d of the %d POSTs at once said they created the request, want 1", created, n)
	}
	return ids[0]
}
