package exchange

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/vienreiz/vienreiz/api"
)

// heartbeat keeps idle event streams open through proxies, and finds the
// streams whose readers went away.
const heartbeat = 15 * time.Second

// streamWriteTimeout bounds one write to one event stream: a reader that
// takes longer (its socket buffer is full, it stopped reading) is dropped
// and reconnects when it reads again.
const streamWriteTimeout = time.Second

// streamsPerWriter is how many streams one short-lived goroutine writes an
// event to, one after the other, while other goroutines write to the rest.
const streamsPerWriter = 256

// streamHead opens every event stream: the HTTP/1.1 response head (the
// body lasts until the connection closes) and a first comment.
const streamHead = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n" +
	"X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n: vienreiz events\n\n"

// keepAlive is the heartbeat comment.
var keepAlive = []byte(": keep-alive\n\n")

// Hub fans request events out to each person's open event streams (P10).
// A stream is an HTTP/1.1 connection taken over from net/http: while it
// waits it costs one small goroutine blocked reading it (to notice at once
// when the reader goes away) and no HTTP buffers. Each event is encoded
// once; one dispatcher writes the events in order, from a few short-lived
// goroutines, to all of their person's streams at once: the events
// published while it was busy go to a stream together, in one write.
// Publish never blocks.
type Hub struct {
	mu      sync.Mutex
	streams map[string]map[*stream]struct{} // by person
	queue   []delivery                      // waiting for the dispatcher
	closed  bool
	wake    chan struct{}
	done    chan struct{} // closed when the dispatcher has stopped
}

// stream is one open event stream.
type stream struct {
	subject string
	conn    net.Conn
	release func() // gives back its place in the stream limits
}

// delivery is one encoded event for subject's streams, or for every
// stream when subject is "" (the heartbeat).
type delivery struct {
	subject string
	frame   []byte
}

// NewHub returns a hub with no streams; Close stops it.
func NewHub() *Hub {
	h := &Hub{streams: map[string]map[*stream]struct{}{}, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go h.dispatch()
	return h
}

// appendFrame appends e encoded as one SSE "request" event.
func appendFrame(f []byte, e api.Event) []byte {
	data, _ := json.Marshal(e) // api.Event always encodes
	f = append(f, "event: request\ndata: "...)
	f = append(f, data...)
	return append(f, "\n\n"...)
}

// attach adds conn, on which streamHead was written, as one of subject's
// streams; release is called once the stream ends. It reports false,
// keeping nothing, when the hub is closed.
func (h *Hub) attach(subject string, conn net.Conn, release func()) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	if h.streams[subject] == nil {
		h.streams[subject] = map[*stream]struct{}{}
	}
	s := &stream{subject: subject, conn: conn, release: release}
	h.streams[subject][s] = struct{}{}
	go h.watch(s)
	return true
}

// watch ends s when its reader closes the connection (or sends anything:
// an event stream's reader has nothing more to say).
func (h *Hub) watch(s *stream) {
	var b [1]byte
	_, _ = s.conn.Read(b[:])
	h.end(s)
}

// Publish queues events, each encoded once, for subject's streams; they
// reach each stream in one write.
func (h *Hub) Publish(subject string, events ...api.Event) {
	var frames []byte
	for _, e := range events {
		frames = appendFrame(frames, e)
	}
	if frames != nil {
		h.enqueue(delivery{subject: subject, frame: frames})
	}
}

func (h *Hub) enqueue(d delivery) {
	h.mu.Lock()
	if !h.closed && (d.subject == "" || len(h.streams[d.subject]) > 0) {
		h.queue = append(h.queue, d)
	}
	h.mu.Unlock()
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

// dispatch writes the queued events until Close, and a heartbeat to
// every stream each heartbeat.
func (h *Hub) dispatch() {
	defer close(h.done)
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-h.wake:
		case <-tick.C:
			h.enqueue(delivery{frame: keepAlive})
			continue
		}
		h.mu.Lock()
		queue, closed := h.queue, h.closed
		h.queue = nil
		h.mu.Unlock()
		if closed {
			return
		}
		h.deliver(queue)
	}
}

// deliver writes the queued deliveries to their streams: all that one
// stream is owed in one write, in the order they were published, from
// goroutines of streamsPerWriter streams each. It ends the streams that
// could not take their share.
func (h *Hub) deliver(queue []delivery) {
	var everyone []byte         // heartbeats
	owed := map[string][]byte{} // events, by person
	for _, d := range queue {
		if d.subject == "" {
			everyone = append(everyone, d.frame...)
		} else {
			owed[d.subject] = append(owed[d.subject], d.frame...)
		}
	}
	type write struct {
		to   *stream
		data []byte
	}
	var writes []write
	add := func(set map[*stream]struct{}, data []byte) {
		for s := range set {
			writes = append(writes, write{s, data})
		}
	}
	h.mu.Lock()
	if everyone == nil {
		for subject, data := range owed {
			add(h.streams[subject], data)
		}
	} else {
		for subject, set := range h.streams {
			data := everyone
			if own := owed[subject]; own != nil {
				data = append(own, everyone...)
			}
			add(set, data)
		}
	}
	h.mu.Unlock()
	var (
		wg     sync.WaitGroup
		failMu sync.Mutex
		failed []*stream
	)
	for len(writes) > 0 {
		part := writes[:min(streamsPerWriter, len(writes))]
		writes = writes[len(part):]
		wg.Go(func() {
			for _, w := range part {
				_ = w.to.conn.SetWriteDeadline(time.Now().Add(streamWriteTimeout))
				if _, err := w.to.conn.Write(w.data); err != nil {
					failMu.Lock()
					failed = append(failed, w.to)
					failMu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	for _, s := range failed {
		h.end(s)
	}
}

// end closes s and forgets it.
func (h *Hub) end(s *stream) {
	h.mu.Lock()
	_, open := h.streams[s.subject][s]
	delete(h.streams[s.subject], s)
	if len(h.streams[s.subject]) == 0 {
		delete(h.streams, s.subject)
	}
	h.mu.Unlock()
	if open {
		_ = s.conn.Close()
		s.release()
	}
}

// Close ends every stream and stops the hub (the server calls it when it
// shuts down: streams are not connections net/http knows of any more).
func (h *Hub) Close() {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		<-h.done
		return
	}
	h.closed = true
	var all []*stream
	for _, set := range h.streams {
		for s := range set {
			all = append(all, s)
		}
	}
	h.mu.Unlock()
	for _, s := range all {
		h.end(s)
	}
	select {
	case h.wake <- struct{}{}:
	default:
	}
	<-h.done
}

// Streams reports how many event streams are open.
func (h *Hub) Streams() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, set := range h.streams {
		n += len(set)
	}
	return n
}

// serveEvents streams the caller's request events as server-sent events:
// it takes the connection over from net/http and hands it to the hub.
func (a *restAPI) serveEvents(w http.ResponseWriter, r *http.Request, who Principal) {
	release, status, msg := a.streams.acquire(who.Subject)
	if release == nil {
		w.Header().Set("Retry-After", "30")
		writeError(w, status, errorCodeOf(status), msg)
		return
	}
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		release()
		writeError(w, http.StatusHTTPVersionNotSupported, api.CodeBadRequest, "event streams need HTTP/1.1")
		return
	}
	_ = conn.SetDeadline(time.Now().Add(streamWriteTimeout))
	if _, err := io.WriteString(conn, streamHead); err != nil {
		conn.Close()
		release()
		return
	}
	_ = conn.SetDeadline(time.Time{})
	if !a.reqs.hub.attach(who.Subject, conn, release) {
		conn.Close()
		release()
	}
}
