package exchange

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/vienreiz/vienreiz/api"
)

// subscriberBuffer is how many events a slow subscriber may fall behind
// before it is dropped (it reconnects and reads the current state).
const subscriberBuffer = 64

// heartbeat keeps idle event streams open through proxies.
const heartbeat = 15 * time.Second

// Hub fans request events out to each person's open event streams (P10).
type Hub struct {
	mu   sync.Mutex
	subs map[string]map[chan *Frame]struct{}
}

// Frame is one published event with its server-sent-event encoding, made
// once by Publish and shared by every subscriber's stream.
type Frame struct {
	api.Event
	sse []byte
}

// newFrame encodes e as an SSE "request" event.
func newFrame(e api.Event) *Frame {
	data, _ := json.Marshal(e) // api.Event always encodes
	sse := make([]byte, 0, len(data)+32)
	sse = append(sse, "event: request\ndata: "...)
	sse = append(sse, data...)
	sse = append(sse, "\n\n"...)
	return &Frame{Event: e, sse: sse}
}

// NewHub returns an empty hub.
func NewHub() *Hub { return &Hub{subs: map[string]map[chan *Frame]struct{}{}} }

// Subscribe returns a channel of subject's events and the function that
// ends the subscription.
func (h *Hub) Subscribe(subject string) (<-chan *Frame, func()) {
	ch := make(chan *Frame, subscriberBuffer)
	h.mu.Lock()
	if h.subs[subject] == nil {
		h.subs[subject] = map[chan *Frame]struct{}{}
	}
	h.subs[subject][ch] = struct{}{}
	h.mu.Unlock()
	return ch, func() { h.drop(subject, ch) }
}

func (h *Hub) drop(subject string, ch chan *Frame) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.subs[subject][ch]; ok {
		delete(h.subs[subject], ch)
		close(ch)
	}
	if len(h.subs[subject]) == 0 {
		delete(h.subs, subject)
	}
}

// Close ends every subscription, so open event streams finish (the
// server calls it when it shuts down; streams never go idle by themselves).
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for subject, chans := range h.subs {
		for ch := range chans {
			close(ch)
		}
		delete(h.subs, subject)
	}
}

// Publish sends e, encoded once, to subject's subscribers without ever
// blocking: a subscriber whose buffer is full is dropped.
func (h *Hub) Publish(subject string, e api.Event) {
	f := newFrame(e)
	h.mu.Lock()
	var slow []chan *Frame
	for ch := range h.subs[subject] {
		select {
		case ch <- f:
		default:
			slow = append(slow, ch)
		}
	}
	h.mu.Unlock()
	for _, ch := range slow {
		h.drop(subject, ch)
	}
}

// serveEvents streams the caller's request events as server-sent events.
func (a *restAPI) serveEvents(w http.ResponseWriter, r *http.Request, who Principal) {
	release, status, msg := a.streams.acquire(who.Subject)
	if release == nil {
		w.Header().Set("Retry-After", "30")
		writeError(w, status, errorCodeOf(status), msg)
		return
	}
	defer release()
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{}) // a stream outlives the server's read timeout
	events, stop := a.reqs.hub.Subscribe(who.Subject)
	defer stop()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, ": vienreiz events\n\n")
	if err := rc.Flush(); err != nil {
		return
	}
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
			fmt.Fprint(w, ": keep-alive\n\n")
		case f, ok := <-events:
			if !ok {
				return // fell too far behind; the client reconnects
			}
			w.Write(f.sse)
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}
