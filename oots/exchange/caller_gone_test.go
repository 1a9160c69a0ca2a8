package exchange

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestAChangeIsCarriedThroughWhenItsCallerStopsWaiting: found by trying
// the app as Jānis on his phone with the service paused (SIGSTOP) while
// he approved a preview and then stopped waiting. Resumed, the service
// read his approval with its context already cancelled: the provider's
// preview space recorded the approval, the service's own call to it ended
// "context canceled" (502) and the request stayed "preview waiting for
// you", the two sides disagreeing until he approved again; a request
// started so was looked up and dropped (500). A change that reaches the
// service is carried out whole whether or not its caller still waits
// (the app learns of it from the event stream), bounded by
// changeTimeout; reading (GET) still ends with the caller.
func TestAChangeIsCarriedThroughWhenItsCallerStopsWaiting(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	q := newTestRequests(t, &now)
	h := NewHandler(HandlerConfig{Catalogue: q.store, Requests: q, Auth: BearerTokens{"t": DemoCitizen()}, Log: q.log})
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	call := func(method, path, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, strings.NewReader(body)).WithContext(gone)
		req.Header.Set("Authorization", "Bearer t")
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	rec := call(http.MethodPost, "/v1/requests", `{"service_id":"lv-birth-certificate","requirement":"`+birthRecord.Requirement+`","country":"LV"}`)
	if rec.Code != http.StatusCreated {
		t.Fatalf("a request started by a caller who stopped waiting: %d %s, want 201", rec.Code, rec.Body)
	}
	list, err := q.List(context.Background(), DemoCitizen())
	if err != nil || len(list) != 1 {
		t.Fatalf("requests stored: %d, %v; want the one started", len(list), err)
	}
	if rec := call(http.MethodGet, "/v1/requests", ""); rec.Code == http.StatusOK {
		t.Fatalf("a list read for a caller who is gone: %d, want it ended with the caller", rec.Code)
	}
}
