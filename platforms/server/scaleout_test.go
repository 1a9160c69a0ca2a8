package main

import (
	"context"
	"encoding/json"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/internal/pgtest"
)

// TestTwoProcessesOnOnePostgresShareTheWork runs the scale-out set-up:
// one demo member state process, and two exchange-service processes on
// one PostgreSQL database, each one of our two access points. A citizen's
// calls for each request go to both processes in turn (created on one,
// confirmed on the other, preview opened on one, approved on the other,
// evidence downloaded from either), all at once. Both processes send
// requests, and yet the member state answers every exchange exactly
// twice (preview required, then the evidence): no exchange is done twice.
// The citizen's event stream, open on either process, hears of every step
// of every request, whichever process made it.
// Then the first process is killed and the second, the other access
// point, receives the answers of a new exchange alone.
func TestTwoProcessesOnOnePostgresShareTheWork(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	db := pgtest.Fresh(t)
	if db == "" {
		t.Skip("needs PostgreSQL: set " + pgtest.Env)
	}
	tmp := t.TempDir()
	msDir := filepath.Join(tmp, "member-state")
	addrs := freeAddrs(t, 2)
	pa, pb := addrs[0], addrs[1]
	ms := startProcess(t, "demo member state listening", "-demo-member-state", "-data-dir", msDir,
		"-answer-to", "http://"+pa+"/as4,http://"+pb+"/as4")
	procs := []*serverProcess{
		startServer(t, "-listen", pa, "-data-dir", filepath.Join(tmp, "a"), "-database", db, "-member-state", msDir),
		startServer(t, "-listen", pb, "-data-dir", filepath.Join(tmp, "b"), "-database", db, "-member-state", msDir),
	}
	clients := []*client.Client{client.New(procs[0].url).WithToken(citizenToken), client.New(procs[1].url).WithToken(citizenToken)}
	ctx := context.Background()
	streams := []*heard{listen(t, clients[0]), listen(t, clients[1])}

	const n = 8
	ids := make([]string, n)
	for i := range ids {
		r, err := clients[i%2].CreateRequest(ctx, birthEvidence(i))
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = r.ID
	}
	inParallel(t, ids, func(i int, id string) error {
		_, err := clients[(i+1)%2].GiveExplicitRequest(ctx, id)
		return err
	})
	for i, id := range ids {
		carryOn(t, clients[i%2], id, "preview_required")
	}
	inParallel(t, ids, func(i int, id string) error {
		if _, err := clients[i%2].OpenPreview(ctx, id); err != nil {
			return err
		}
		_, err := clients[(i+1)%2].DecidePreview(ctx, id, "approve")
		return err
	})
	for i, id := range ids {
		r := carryOn(t, clients[(i+1)%2], id, "delivered")
		if steps(r) != "created,provider_found,explicit_request_given,query_sent,preview_requested,preview_viewed,preview_approved,query_sent,evidence_delivered,offered" {
			t.Errorf("request %s: timeline %s", id, steps(r))
		}
		if body := download(t, procs[i%2].url, id); len(body) == 0 || len(r.Evidence) != 1 || int64(len(body)) != r.Evidence[0].Size {
			t.Errorf("request %s: %d bytes downloaded for %+v", id, len(body), r.Evidence)
		}
	}

	for i, s := range streams {
		for _, id := range ids {
			if !s.waitFor(id, "evidence_delivered", 15*time.Second) {
				t.Errorf("the event stream on process %d did not hear of request %s's evidence (heard %v)", i, id, s.of(id))
			}
		}
	}

	answers := countLogs(ms, "provider: answer queued", "exchange")
	for _, id := range ids {
		if answers[id] != 2 {
			t.Errorf("the member state answered exchange %s %d times, want 2", id, answers[id])
		}
	}
	for i, p := range procs {
		sent := countLogs(p, "requester: request acknowledged", "exchange")
		if len(sent) == 0 {
			t.Errorf("process %d sent no request: the work was not shared", i)
		}
		t.Logf("process %d sent requests of %d exchanges", i, len(sent))
	}

	// Process 0, the primary access point, dies: the member state's answers
	// fail over to process 1, which carries a new request to the end.
	procs[0].kill()
	r, err := clients[1].CreateRequest(ctx, api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := clients[1].GiveExplicitRequest(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	carryOn(t, clients[1], r.ID, "delivered")
	if got := countLogs(procs[1], "requester: answer delivered", "exchange")[r.ID]; got != 2 {
		t.Errorf("process 1 received %d answers for the request made after process 0 died, want 2", got)
	}
	for _, p := range []*serverProcess{procs[1], ms} {
		p.stop()
	}
}

// heard is what one event stream heard, by request.
type heard struct {
	mu     sync.Mutex
	events map[string][]string
}

// listen opens c's event stream until the test ends. (It may open after
// the first steps of the test: the steps awaited come seconds later.)
func listen(t *testing.T, c *client.Client) *heard {
	t.Helper()
	h := &heard{events: map[string][]string{}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	t.Cleanup(func() { cancel(); <-done })
	go func() {
		defer close(done)
		_ = c.Events(ctx, func(e api.Event) {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.events[e.RequestID] = append(h.events[e.RequestID], e.Event)
		})
	}()
	return h
}

// of is what h heard of request id.
func (h *heard) of(id string) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.events[id])
}

// waitFor reports whether h hears event of request id within d.
func (h *heard) waitFor(id, event string, d time.Duration) bool {
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if slices.Contains(h.of(id), event) {
			return true
		}
	}
	return false
}

// inParallel calls f for every id at once and fails on the first error.
func inParallel(t *testing.T, ids []string, f func(i int, id string) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, len(ids))
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(i, id); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// countLogs counts the JSON log lines of p with message msg by the value
// of field.
func countLogs(p *serverProcess, msg, field string) map[string]int {
	out := map[string]int{}
	for _, line := range strings.Split(p.log(), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) != nil || rec["msg"] != msg {
			continue
		}
		if v, ok := rec[field].(string); ok {
			out[v]++
		}
	}
	return out
}

// freeAddrs returns n loopback addresses with ports free right now, each
// a different one: all n are held until the last is taken. (One at a time,
// a port given back could be handed out again at once: two processes of a
// test were given the same one, seen in CI.)
func freeAddrs(t *testing.T, n int) []string {
	t.Helper()
	addrs := make([]string, n)
	for i := range addrs {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		addrs[i] = l.Addr().String()
	}
	return addrs
}
