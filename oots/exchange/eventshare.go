package exchange

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/store"
)

// publication is request events for one person's streams, or for those
// of a group's members.
type publication struct {
	Subject string      `json:"s,omitempty"`
	Group   string      `json:"g,omitempty"`
	Events  []api.Event `json:"e"`
}

// publishOn publishes p to the streams open on h.
func (p publication) publishOn(h *Hub) {
	if p.Group != "" {
		h.PublishGroup(p.Group, p.Events...)
	} else {
		h.Publish(p.Subject, p.Events...)
	}
}

// maxShareQueue bounds the publications waiting to be broadcast: beyond
// it (the database is unreachable for long) the newest are dropped.
const maxShareQueue = 10000

// relistenAfter is the first pause before listening again after the
// connection that listens failed; it doubles up to relistenAtMost.
const (
	relistenAfter  = time.Second
	relistenAtMost = 30 * time.Second
)

// eventShare carries request events between the processes of a scale-out
// (several on one PostgreSQL database): a person's event stream may be
// open on any of them, and any of them may change the person's request
// (a call, an answer that came to its access point, a job it ran). It
// broadcasts what this process publishes, a few publications in each
// database notification, and publishes on this process's hub what the
// others broadcast.
type eventShare struct {
	store  *store.Store
	hub    *Hub
	log    *slog.Logger
	origin string // names this process in its broadcasts

	// listening is closed once the process first hears the others.
	listening chan struct{}
	heardOnce sync.Once

	mu      sync.Mutex
	queue   []publication
	dropped int // publications not queued since the last broadcast
	wake    chan struct{}
}

// sharedBatch is the payload of one broadcast.
type sharedBatch struct {
	Origin       string        `json:"o"`
	Publications []publication `json:"p"`
}

func newEventShare(st *store.Store, hub *Hub, log *slog.Logger) *eventShare {
	if log == nil {
		log = slog.Default()
	}
	origin := make([]byte, 8)
	_, _ = rand.Read(origin)
	return &eventShare{store: st, hub: hub, log: log, origin: hex.EncodeToString(origin),
		listening: make(chan struct{}), wake: make(chan struct{}, 1)}
}

// add queues pubs for the other processes; it never blocks.
func (e *eventShare) add(pubs []publication) {
	e.mu.Lock()
	if room := maxShareQueue - len(e.queue); room < len(pubs) {
		e.dropped += len(pubs) - max(room, 0)
		pubs = pubs[:max(room, 0)]
	}
	e.queue = append(e.queue, pubs...)
	e.mu.Unlock()
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// run broadcasts what is queued and listens to the other processes
// until ctx ends; it broadcasts what is left then, for a second at most.
func (e *eventShare) run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Go(func() { e.listen(ctx) })
	defer wg.Wait()
	for {
		select {
		case <-e.wake:
			e.broadcast(ctx)
		case <-ctx.Done():
			last, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
			e.broadcast(last)
			cancel()
			return
		}
	}
}

// broadcast sends the queued publications in as few payloads as they fit.
func (e *eventShare) broadcast(ctx context.Context) {
	e.mu.Lock()
	queue, dropped := e.queue, e.dropped
	e.queue, e.dropped = nil, 0
	e.mu.Unlock()
	if dropped > 0 {
		e.log.Warn("events not told to the other processes: too many waited", "publications", dropped)
	}
	if len(queue) == 0 {
		return
	}
	payloads, oversize := packPublications(e.origin, queue, store.MaxBroadcast)
	if oversize > 0 {
		e.log.Warn("events too large to tell the other processes", "events", oversize)
	}
	if err := e.store.Broadcast(ctx, payloads...); err != nil {
		e.log.Warn("events not told to the other processes", "publications", len(queue), "err", err)
	}
}

// listen publishes the other processes' broadcasts on the hub. When its
// connection to the database fails it listens again after a pause, and
// then ends this process's streams: their readers reconnect and read
// again what they missed meanwhile.
func (e *eventShare) listen(ctx context.Context) {
	wait, lost := relistenAfter, false
	for {
		err := e.store.Listen(ctx, func() {
			e.heardOnce.Do(func() { close(e.listening) })
			wait = relistenAfter
			if lost {
				e.log.Info("hearing the other processes' events again; the event streams reconnect")
				e.hub.EndStreams()
			}
		}, e.hear)
		if ctx.Err() != nil {
			return
		}
		lost = true
		e.log.Warn("not hearing the other processes' events", "err", err, "retry_in", wait)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, relistenAtMost)
	}
}

// waitListening waits until the process hears the others, for d at most,
// and reports whether it does.
func (e *eventShare) waitListening(d time.Duration) bool {
	select {
	case <-e.listening:
		return true
	case <-time.After(d):
		return false
	}
}

// hear publishes on the hub what another process broadcast.
func (e *eventShare) hear(payload string) {
	var b sharedBatch
	if err := json.Unmarshal([]byte(payload), &b); err != nil {
		e.log.Warn("an unreadable broadcast of events", "err", err)
		return
	}
	if b.Origin == e.origin {
		return // published here already
	}
	for _, p := range b.Publications {
		p.publishOn(e.hub)
	}
}

// packPublications encodes pubs from origin in payloads of at most limit
// bytes, in order. A publication too large for one payload goes event by
// event; an event too large on its own is left out and counted.
func packPublications(origin string, pubs []publication, limit int) (payloads []string, oversize int) {
	head := `{"o":` + string(mustJSON(origin)) + `,"p":[`
	const tail = "]}"
	var cur []byte
	flush := func() {
		if cur != nil {
			payloads = append(payloads, string(append(cur, tail...)))
			cur = nil
		}
	}
	add := func(enc []byte) bool {
		if len(head)+len(enc)+len(tail) > limit {
			return false
		}
		if cur != nil && len(cur)+1+len(enc)+len(tail) > limit {
			flush()
		}
		if cur == nil {
			cur = append([]byte(head), enc...)
		} else {
			cur = append(append(cur, ','), enc...)
		}
		return true
	}
	for _, p := range pubs {
		if add(mustJSON(p)) {
			continue
		}
		for _, ev := range p.Events {
			one := p
			one.Events = []api.Event{ev}
			if !add(mustJSON(one)) {
				oversize++
			}
		}
	}
	flush()
	return payloads, oversize
}

// mustJSON is v encoded; v is one of this file's types, which always
// encode.
func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
