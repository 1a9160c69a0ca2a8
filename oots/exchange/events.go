package exchange

import (
	"encoding/json"
	"io"
	"maps"
	"net"
	"net/http"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/vienreiz/vienreiz/api"
)

// heartbeat keeps idle event streams open through proxies, and finds the
// streams whose readers went away.
const heartbeat = 15 * time.Second

// streamWriteTimeout bounds each wait for room in an event stream's
// socket buffer: a reader that takes longer (it stopped reading) is
// dropped and reconnects when it reads again.
const streamWriteTimeout = time.Second

// streamsPerWriter is how many neighbouring streams one short-lived
// goroutine writes to, one after the other, while other goroutines write
// to the rest. (One goroutine per CPU taking the next stream from a shared
// counter cost a third more CPU: the CPUs then wrote to neighbouring
// streams, whose memory they kept taking from each other.)
const streamsPerWriter = 256

// streamHead opens every event stream: the HTTP/1.1 response head (the
// body lasts until the connection closes) and a first comment.
// X-Accel-Buffering: no tells nginx, whose default holds a response in its
// buffer until it fills, to pass each event on as it comes.
const streamHead = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n" +
	"X-Content-Type-Options: nosniff\r\nX-Accel-Buffering: no\r\nConnection: close\r\n\r\n: vienreiz events\n\n"

// keepAlive is the heartbeat comment.
var keepAlive = []byte(": keep-alive\n\n")

// Hub fans request events out to each person's open event streams (P10).
// A stream is an HTTP/1.1 connection taken over from net/http: while it
// waits it costs one small goroutine blocked reading it (to notice at once
// when the reader goes away) and no HTTP buffers. Each event is encoded
// once; one dispatcher sends the events in order to all of their person's
// streams at once, in the order the streams opened (their sockets lie near
// each other in the kernel's memory), from a few short-lived goroutines:
// the events published while it was busy go to a stream together, in one
// write that does not wait (see send). Publish never blocks.
type Hub struct {
	mu      sync.Mutex
	streams map[string][]*stream // by person, in about the order they opened
	// groups are the people with streams in each group (the clerks of an
	// institution), with how many streams each.
	groups  map[string]map[string]int
	queue   []delivery // waiting for the dispatcher
	closed  bool
	timeout time.Duration // streamWriteTimeout but in tests
	wake    chan struct{}
	done    chan struct{} // closed when the dispatcher has stopped
}

// stream is one open event stream.
type stream struct {
	subject string
	group   string // the group it joined, "" for none
	at      int    // its index in the hub's streams of subject; -1 once ended
	conn    net.Conn
	socket  syscall.RawConn // conn's socket, for writes that do not wait; nil if it has none
	release func()          // gives back its place in the stream limits

	mu       sync.Mutex
	draining bool   // a drain goroutine writes behind, and what is added to it
	behind   []byte // owed but not yet written, after what is being written
}

// delivery is one encoded event for subject's streams, or for every
// stream when subject is "" (the heartbeat).
type delivery struct {
	subject string
	frame   []byte
}

// NewHub returns a hub with no streams; Close stops it.
func NewHub() *Hub { return newHub(streamWriteTimeout) }

// newHub returns a hub that drops a stream after timeout without room.
func newHub(timeout time.Duration) *Hub {
	h := &Hub{streams: map[string][]*stream{}, groups: map[string]map[string]int{}, timeout: timeout, wake: make(chan struct{}, 1), done: make(chan struct{})}
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

// attach writes streamHead on conn and adds it as one of subject's
// streams, a member of group unless that is ""; release is called once the
// stream ends. It reports false, keeping nothing, when the hub is closed
// or the head cannot be written.
func (h *Hub) attach(subject, group string, conn net.Conn, release func()) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	// The head goes out once the stream is one of subject's, under the
	// lock Publish takes: a client that has read it hears every event
	// published after (written before, the events of a change made at
	// once went to no stream). A new connection's buffer takes it at once.
	_ = conn.SetDeadline(time.Now().Add(streamWriteTimeout))
	if _, err := io.WriteString(conn, streamHead); err != nil {
		return false
	}
	_ = conn.SetDeadline(time.Time{})
	s := &stream{subject: subject, group: group, at: len(h.streams[subject]), conn: conn, release: release}
	if group != "" {
		if h.groups[group] == nil {
			h.groups[group] = map[string]int{}
		}
		h.groups[group][subject]++
	}
	if sc, ok := conn.(syscall.Conn); ok {
		s.socket, _ = sc.SyscallConn()
	}
	h.streams[subject] = append(h.streams[subject], s)
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
	if frames := framesOf(events); frames != nil {
		h.enqueue(delivery{subject: subject, frame: frames})
	}
}

// PublishGroup is Publish for every member of group.
func (h *Hub) PublishGroup(group string, events ...api.Event) {
	members := h.members(group)
	if len(members) == 0 || len(events) == 0 {
		return
	}
	frames := framesOf(events)
	for _, subject := range members {
		h.enqueue(delivery{subject: subject, frame: frames})
	}
}

// HasGroups reports whether any stream is in a group: publishers can
// spare the work of finding a change's group while none is.
func (h *Hub) HasGroups() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.groups) > 0
}

// members are the people with streams in group, in no order.
func (h *Hub) members(group string) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Collect(maps.Keys(h.groups[group]))
}

// framesOf is events encoded, each once, one after the other.
func framesOf(events []api.Event) []byte {
	var frames []byte
	for _, e := range events {
		frames = appendFrame(frames, e)
	}
	return frames
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

// deliver sends the queued deliveries to their streams: all that one
// stream is owed in one write, in the order they were published, from
// goroutines of streamsPerWriter streams each; none of them waits for a
// reader (see send).
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
	add := func(streams []*stream, data []byte) {
		for _, s := range streams {
			writes = append(writes, write{s, data})
		}
	}
	h.mu.Lock()
	if everyone == nil {
		for subject, data := range owed {
			add(h.streams[subject], data)
		}
	} else {
		for subject, streams := range h.streams {
			data := everyone
			if own := owed[subject]; own != nil {
				data = append(own, everyone...)
			}
			add(streams, data)
		}
	}
	h.mu.Unlock()
	var wg sync.WaitGroup
	for len(writes) > 0 {
		part := writes[:min(streamsPerWriter, len(writes))]
		writes = writes[len(part):]
		wg.Go(func() {
			for _, w := range part {
				h.send(w.to, w.data)
			}
		})
	}
	wg.Wait()
}

// send writes data to s without waiting: what s's socket buffer takes
// at once goes in one write(2); the rest, if any, is left to a drain
// goroutine, behind what s is still owed from before, so a slow reader
// holds up neither the dispatcher nor the other streams.
func (h *Hub) send(s *stream, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.draining {
		n := s.tryWrite(data)
		if n == len(data) {
			return
		}
		data = data[n:]
		s.draining = true
		go h.drain(s)
	}
	s.behind = append(s.behind, data...) // a copy: data is shared by many streams
}

// drain writes what s is owed, each write bounded by the hub's time-out,
// until nothing is left; a write that fails or takes longer ends s.
func (h *Hub) drain(s *stream) {
	for {
		s.mu.Lock()
		data := s.behind
		s.behind = nil
		if len(data) == 0 {
			_ = s.conn.SetWriteDeadline(time.Time{}) // the next tryWrite must not find it passed
			s.draining = false
			s.mu.Unlock()
			return
		}
		s.mu.Unlock()
		_ = s.conn.SetWriteDeadline(time.Now().Add(h.timeout))
		if _, err := s.conn.Write(data); err != nil {
			h.end(s) // s stays draining: nothing more is written to it
			return
		}
	}
}

// end closes s and forgets it: the last of its person's streams takes
// its place.
func (h *Hub) end(s *stream) {
	h.mu.Lock()
	open := s.at >= 0
	if open {
		streams := h.streams[s.subject]
		last := streams[len(streams)-1]
		streams[s.at], last.at = last, s.at
		streams[len(streams)-1] = nil
		if streams = streams[:len(streams)-1]; len(streams) == 0 {
			delete(h.streams, s.subject)
		} else {
			h.streams[s.subject] = streams
		}
		s.at = -1
		if members := h.groups[s.group]; members != nil {
			if members[s.subject]--; members[s.subject] == 0 {
				delete(members, s.subject)
			}
			if len(members) == 0 {
				delete(h.groups, s.group)
			}
		}
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
	h.mu.Unlock()
	h.EndStreams()
	select {
	case h.wake <- struct{}{}:
	default:
	}
	<-h.done
}

// EndStreams ends every open stream: their readers reconnect, and read
// again what they may have missed.
func (h *Hub) EndStreams() {
	h.mu.Lock()
	var all []*stream
	for _, streams := range h.streams {
		all = append(all, streams...)
	}
	h.mu.Unlock()
	for _, s := range all {
		h.end(s)
	}
}

// Streams reports how many event streams are open.
func (h *Hub) Streams() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, streams := range h.streams {
		n += len(streams)
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
	if !a.reqs.hub.attach(who.Subject, clerksOf(who), conn, release) {
		conn.Close()
		release()
	}
}
