package main

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/internal/pgtest"
)

// proofOfBirth is the demo catalogue's birth requirement; its provider
// in the demo member state asks for a preview.
const proofOfBirth = "https://sr.oots.tech.europa.eu/requirements/0db2683a-c917-51d2-a0b3-08377a50bfba"

// birthEvidence is the i-th of nine requests for a proof of birth (three
// services, three countries) that may be under way at once: a person has
// one request under way per evidence.
func birthEvidence(i int) api.NewRequest {
	services := []string{"lv-birth-certificate", "lv-university-admission", "lv-pension-claim"}
	countries := []string{"LV", "EE", "LT"}
	return api.NewRequest{ServiceID: services[i%9/3], Requirement: proofOfBirth, Country: countries[i%3]}
}

// TestKill9MidExchangeEveryRequestCompletesOnce kills the whole service
// (exchange service, our access points and the embedded demo member
// state) with SIGKILL twice while exchanges are in flight: once while the
// explicit requests go out, once while the approvals and the second
// requests with the evidence answers are on their way. After each restart
// over the same data folder the citizen carries on from what the API
// shows; every request must end delivered, with each consent, send,
// approval and delivery on its timeline and in the ledger exactly once,
// and the evidence intact. It runs on SQLite and, when
// VIENREIZ_TEST_POSTGRES is set, on PostgreSQL.
func TestKill9MidExchangeEveryRequestCompletesOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills server processes")
	}
	onEachStore(t, killTwiceMidExchange)
}

// onEachStore runs test on SQLite (the default) and on PostgreSQL with
// the server flags that select it.
func onEachStore(t *testing.T, test func(t *testing.T, args ...string)) {
	t.Run("sqlite", func(t *testing.T) { test(t) })
	t.Run("postgres", func(t *testing.T) {
		db := pgtest.Fresh(t)
		if db == "" {
			t.Skip("needs PostgreSQL: set " + pgtest.Env)
		}
		test(t, "-database", db)
	})
}

// killTwiceMidExchange runs the kill test with the server flags args
// (besides its data folder).
func killTwiceMidExchange(t *testing.T, args ...string) {
	const n = 9
	dir := t.TempDir()
	args = append(args, "-data-dir", dir)
	p := startServer(t, args...)
	c := client.New(p.url).WithToken(citizenToken)
	ctx := context.Background()
	ids := make([]string, n)
	for i := range ids {
		r, err := c.CreateRequest(ctx, birthEvidence(i))
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = r.ID
	}

	// Kill 1: the explicit requests and their first QueryRequests.
	killMidway(t, p, ids, func(id string) error { _, err := c.GiveExplicitRequest(ctx, id); return err })
	p = startServer(t, args...)
	c = client.New(p.url).WithToken(citizenToken)
	logStates(t, c, ids)
	for _, id := range ids {
		r := carryOn(t, c, id, "preview_required")
		if r.Preview == nil {
			if _, err := c.OpenPreview(ctx, id); err != nil {
				t.Fatalf("open the preview of %s: %v", id, err)
			}
		}
	}

	// Kill 2: the approvals, the second QueryRequests and the answers.
	killMidway(t, p, ids, func(id string) error { _, err := c.DecidePreview(ctx, id, "approve"); return err })
	p = startServer(t, args...)
	c = client.New(p.url).WithToken(citizenToken)
	logStates(t, c, ids)
	for _, id := range ids {
		r := carryOn(t, c, id, "delivered")
		counts := map[string]int{}
		for _, s := range r.Timeline {
			counts[s.Event]++
		}
		want := map[string]int{"explicit_request_given": 1, "query_sent": 2, "preview_requested": 1, "preview_approved": 1, "evidence_delivered": 1}
		for event, k := range want {
			if counts[event] != k {
				t.Errorf("request %s: %d × %s on the timeline, want %d: %v", id, counts[event], event, k, counts)
			}
		}
		body := download(t, p.url, id)
		if len(r.Evidence) != 1 || fmt.Sprintf("%x", sha256.Sum256(body)) != r.Evidence[0].SHA256 {
			t.Errorf("request %s: evidence %+v does not match the %d bytes downloaded", id, r.Evidence, len(body))
		}
	}
	ledger := ledgerActions(t, p.url)
	for _, id := range ids {
		for _, action := range []string{"explicit_request_given", "preview_approved", "evidence_delivered"} {
			if got := ledger[id+" "+action]; got != 1 {
				t.Errorf("request %s: %d ledger lines %s, want 1", id, got, action)
			}
		}
	}
	p.stop()
}

// killMidway runs call for every id at once and kills the server the
// moment a third of the calls have returned, the rest still in flight.
func killMidway(t *testing.T, p *serverProcess, ids []string, call func(id string) error) {
	t.Helper()
	var (
		wg       sync.WaitGroup
		returned atomic.Int32
	)
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = call(id) // calls cut off by the kill fail; the citizen carries on after the restart
			if int(returned.Add(1)) == len(ids)/3 {
				_ = p.cmd.Process.Signal(syscall.SIGKILL)
			}
		}()
	}
	wg.Wait()
	_ = p.cmd.Wait()
	<-p.done
	if p.cmd.ProcessState.Success() {
		t.Fatal("the server was not killed")
	}
	t.Logf("killed with %d of %d calls returned", len(ids)/3, len(ids))
}

// carryOn does what a citizen would after a restart until the request is
// in state want: gives the explicit request if the timeline lacks it,
// opens the preview if not yet shown, approves it if not yet decided.
func carryOn(t *testing.T, c *client.Client, id, want string) *api.Request {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(90 * time.Second)
	var r *api.Request
	for time.Now().Before(deadline) {
		var err error
		if r, err = c.Request(ctx, id); err != nil {
			t.Fatal(err)
		}
		if r.State == want {
			return r
		}
		if !waiting(r) {
			t.Fatalf("request %s ended %s (%s %s); timeline %v", id, r.State, r.ErrorCode, r.Problem, steps(r))
		}
		_, err = citizenStep(ctx, c, r)
		var apiErr *client.APIError
		if err != nil && !(errors.As(err, &apiErr) && apiErr.Status == http.StatusConflict) {
			t.Fatalf("carrying on with %s in %s: %v", id, r.State, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("request %s is %s, not %s, after 90 s; timeline %v", id, r.State, want, steps(r))
	return nil
}

// waiting reports whether r waits for the citizen or the exchange: a
// state the next citizenStep or the service moves on.
func waiting(r *api.Request) bool {
	switch r.State {
	case "draft", "ready", "sent", "preview_required", "approved":
		return true
	}
	return false
}

// citizenStep does the citizen's next action on r, if it waits for one:
// the explicit request if the timeline lacks it, opening the preview if
// it is not yet shown, approving it if not yet decided. It reports
// whether the action was the preview call.
func citizenStep(ctx context.Context, c *client.Client, r *api.Request) (previewCall bool, err error) {
	switch {
	case r.State == "ready" && !hasStep(r, "explicit_request_given"):
		_, err = c.GiveExplicitRequest(ctx, r.ID)
	case r.State == "preview_required" && r.Preview == nil:
		_, err = c.OpenPreview(ctx, r.ID)
		return true, err
	case r.State == "preview_required" && r.Preview.Decision == "":
		_, err = c.DecidePreview(ctx, r.ID, "approve")
	}
	return false, err
}

// logStates logs how many requests the restarted service found in each
// state: proof that the kill cut exchanges off midway.
func logStates(t *testing.T, c *client.Client, ids []string) {
	t.Helper()
	states := map[string]int{}
	for _, id := range ids {
		r, err := c.Request(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		states[r.State]++
	}
	t.Logf("after the restart: %v", states)
}

func hasStep(r *api.Request, event string) bool {
	for _, s := range r.Timeline {
		if s.Event == event {
			return true
		}
	}
	return false
}

func steps(r *api.Request) string {
	var out []string
	for _, s := range r.Timeline {
		out = append(out, s.Event)
	}
	return strings.Join(out, ",")
}

// download fetches evidence document 0 of a request as the citizen.
func download(t *testing.T, base, id string) []byte {
	t.Helper()
	return get(t, base+"/v1/requests/"+id+"/evidence/0")
}

// ledgerActions counts the citizen's ledger lines by "request action".
func ledgerActions(t *testing.T, base string) map[string]int {
	t.Helper()
	var export struct {
		Entries []struct {
			Action    string `json:"action"`
			RequestID string `json:"request_id"`
		} `json:"entries"`
	}
	if err := json.Unmarshal(get(t, base+"/v1/ledger?format=json"), &export); err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, e := range export.Entries {
		out[e.RequestID+" "+e.Action]++
	}
	return out
}

func get(t *testing.T, u string) []byte {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Authorization", "Bearer "+citizenToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", u, resp.StatusCode, body)
	}
	return body
}
