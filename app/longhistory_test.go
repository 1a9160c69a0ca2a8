package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
)

// historyService holds a long history of requests and counts the reads
// of the whole list, of one request and of the documents.
type historyService struct {
	fakeService
	mu                            sync.Mutex
	listReads, oneReads, docReads atomic.Int32
}

func (h *historyService) Requests(context.Context) ([]api.Request, error) {
	h.listReads.Add(1)
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.requests), nil
}

func (h *historyService) Request(_ context.Context, id string) (*api.Request, error) {
	h.oneReads.Add(1)
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, r := range h.requests {
		if r.ID == id {
			return &r, nil
		}
	}
	return nil, errors.New("404 not_found")
}

func (h *historyService) Documents(ctx context.Context) ([]api.Document, error) {
	h.docReads.Add(1)
	h.mu.Lock()
	defer h.mu.Unlock()
	return documentsOf(h.requests), nil
}

// change changes the request with id in the service.
func (h *historyService) change(id string, f func(*api.Request)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i := range h.requests {
		if h.requests[i].ID == id {
			f(&h.requests[i])
		}
	}
}

// TestAnEventReadsOnlyTheRequestItNames: every event of the stream read
// the person's whole list of requests and of documents again; for Jānis
// with 1,553 requests and 543 documents that was 2.3 MB and 0.4 s of the
// service's time for the list and 0.3 MB and 0.2 s for the documents at
// each step of each request (found as a long-time citizen). An event now
// reads the request it names, and the documents only when that
// request's documents changed; a request the service no longer gives
// (a mandate ended) has the list read again.
func TestAnEventReadsOnlyTheRequestItNames(t *testing.T) {
	svc := &historyService{}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 1000 { // newest first, as the service lists them
		at := start.Add(time.Duration(1000-i) * time.Hour)
		svc.requests = append(svc.requests, api.Request{ID: fmt.Sprintf("r%04d", i), ServiceID: "lv-birth-certificate", State: "failed",
			CreatedAt: at, UpdatedAt: at, Timeline: []api.Step{{At: at, Event: "created", State: "draft"}}})
	}
	s := testSession(t, svc)
	settle := func() {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Settle(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Requests.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	settle()
	listed := func() []api.Request {
		items, _ := s.Requests.List.Get()
		out := make([]api.Request, len(items))
		for i, v := range items {
			out[i] = v.(api.Request)
		}
		return out
	}
	reads := func() string {
		return fmt.Sprintf("list %d, one %d, documents %d", svc.listReads.Load(), svc.oneReads.Load(), svc.docReads.Load())
	}
	if got := reads(); got != "list 1, one 0, documents 1" {
		t.Fatalf("the first load read %s", got)
	}
	followed := 0
	stop := s.Requests.Follow("r0500", func(r *api.Request) {
		if r.State == "preview_required" && len(r.Timeline) == 2 {
			followed++
		}
	})
	defer stop()

	svc.change("r0500", func(r *api.Request) {
		r.State = "preview_required"
		r.Timeline = append(r.Timeline, api.Step{At: r.CreatedAt, Event: "preview_required", State: "preview_required"})
	})
	s.Inbox.OnEvent(api.Event{RequestID: "r0500"})
	settle()
	if got := reads(); got != "list 1, one 1, documents 1" {
		t.Errorf("a step of one request read %s, want that request alone", got)
	}
	if l := listed(); len(l) != 1000 || l[500].ID != "r0500" || l[500].State != "preview_required" || l[500].Timeline != nil {
		t.Errorf("the list does not show r0500's step where it was: %d requests, #500 %s %s with %d steps", len(l), l[500].ID, l[500].State, len(l[500].Timeline))
	}
	if followed != 1 {
		t.Errorf("the page following r0500 was handed its step %d times, want 1", followed)
	}

	svc.change("r0500", func(r *api.Request) {
		r.State = "delivered"
		r.Evidence = []api.EvidenceFile{{Index: 0, ContentType: "application/pdf", Size: 3, SHA256: "abc"}}
		r.Timeline = append(r.Timeline, api.Step{At: r.CreatedAt, Event: "delivered", State: "delivered"})
	})
	s.Inbox.OnEvent(api.Event{RequestID: "r0500"})
	settle()
	if got := reads(); got != "list 1, one 2, documents 2" {
		t.Errorf("a delivery read %s, want the request and the documents", got)
	}
	if items, _ := s.Wallet.Items.Get(); len(items) != 1 {
		t.Errorf("the wallet holds %d documents after the delivery, want 1", len(items))
	}

	svc.mu.Lock() // made on another device: the newest
	svc.requests = slices.Insert(svc.requests, 0, api.Request{ID: "new", ServiceID: "lv-birth-certificate", State: "ready", CreatedAt: start.Add(2000 * time.Hour)})
	svc.mu.Unlock()
	s.Inbox.OnEvent(api.Event{RequestID: "new"})
	settle()
	if got := reads(); got != "list 1, one 3, documents 2" {
		t.Errorf("a new request read %s, want itself alone", got)
	}
	if l := listed(); len(l) != 1001 || l[0].ID != "new" || l[501].ID != "r0500" {
		t.Errorf("the new request is not first: %d requests, first %s", len(l), l[0].ID)
	}

	svc.mu.Lock() // no longer the person's to read
	svc.requests = slices.DeleteFunc(svc.requests, func(r api.Request) bool { return r.ID == "r0003" })
	svc.mu.Unlock()
	s.Inbox.OnEvent(api.Event{RequestID: "r0003"})
	settle()
	if got := reads(); got != "list 2, one 4, documents 3" {
		t.Errorf("a request the service no longer gives read %s, want it, then the list and the documents", got)
	}
	if l := listed(); len(l) != 1000 || slices.ContainsFunc(l, func(r api.Request) bool { return r.ID == "r0003" }) {
		t.Errorf("the list still shows r0003 (%d requests)", len(l))
	}
}
