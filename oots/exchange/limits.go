package exchange

import (
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/vienreiz/vienreiz/api"
)

// Limits bound what one caller and everyone together may hold open, so
// strangers cannot exhaust the service's connections or file handles.
// Zero fields take the defaults of DefaultLimits.
type Limits struct {
	// Conns is the most connections open at once. Beyond it the oldest
	// connection that is waiting (idle keep-alive, or no request yet) is
	// closed to make room; if none is waiting the new one gets 503.
	Conns int
	// ConnsPerHost is the same bound for one remote address. Behind a
	// reverse proxy every connection comes from the proxy: raise it.
	ConnsPerHost int
	// Streams is the most event streams (GET /v1/events) open at once;
	// beyond it: 503.
	Streams int
	// StreamsPerPrincipal is the most event streams one person may hold;
	// beyond it: 429.
	StreamsPerPrincipal int
	// CodeGuesses is how many pairing codes that do not exist one address
	// may try at POST /v1/devices/pair within 10 minutes; beyond it: 429.
	// Behind a reverse proxy every caller is the proxy: raise it.
	CodeGuesses int
	// PortalIdle is how long a sign-in on the web portal lasts without a
	// page asked for; then the person is signed out (a portal left open on
	// a shared computer).
	PortalIdle time.Duration
}

// DefaultLimits are the limits used for zero fields of Limits.
var DefaultLimits = Limits{Conns: 8192, ConnsPerHost: 1024, Streams: 4096, StreamsPerPrincipal: 8, CodeGuesses: 10, PortalIdle: 30 * time.Minute}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	for _, f := range []struct{ v, def *int }{{&l.Conns, &d.Conns}, {&l.ConnsPerHost, &d.ConnsPerHost}, {&l.Streams, &d.Streams}, {&l.StreamsPerPrincipal, &d.StreamsPerPrincipal}, {&l.CodeGuesses, &d.CodeGuesses}} {
		if *f.v <= 0 {
			*f.v = *f.def
		}
	}
	if l.PortalIdle <= 0 {
		l.PortalIdle = d.PortalIdle
	}
	return l
}

// Timeouts of the API's http.Server. Reading a request's headers and body
// is bounded; idle keep-alive connections are closed. Responses have no
// write timeout (event streams and large evidence downloads are long);
// event streams lift the read deadline themselves.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	idleTimeout       = 60 * time.Second
)

// connState is what connLimiter knows of one connection.
type connState struct {
	host    string
	waiting bool // idle keep-alive, or no request read yet
	used    bool // a request was read
	since   time.Time
}

// connLimiter enforces Limits.Conns and ConnsPerHost through
// http.Server.ConnState.
type connLimiter struct {
	max, perHost int
	mu           sync.Mutex
	conns        map[net.Conn]*connState
	byHost       map[string]int
}

func newConnLimiter(l Limits) *connLimiter {
	return &connLimiter{max: l.Conns, perHost: l.ConnsPerHost, conns: map[net.Conn]*connState{}, byHost: map[string]int{}}
}

// track is the http.Server.ConnState hook.
func (cl *connLimiter) track(c net.Conn, s http.ConnState) {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	switch s {
	case http.StateNew:
		host, _, _ := net.SplitHostPort(c.RemoteAddr().String())
		cl.conns[c] = &connState{host: host, waiting: true, since: time.Now()}
		cl.byHost[host]++
		if cl.byHost[host] > cl.perHost && !cl.evict(c, host) {
			cl.refuse(c)
		} else if len(cl.conns) > cl.max && !cl.evict(c, "") {
			cl.refuse(c)
		}
	case http.StateActive:
		if st := cl.conns[c]; st != nil {
			st.waiting, st.used = false, true
		}
	case http.StateIdle:
		if st := cl.conns[c]; st != nil {
			st.waiting, st.since = true, time.Now()
		}
	case http.StateHijacked, http.StateClosed:
		cl.forget(c)
	}
}

// evict closes the connection (other than keep) of host ("" any host)
// that has waited longest, and reports whether there was one.
func (cl *connLimiter) evict(keep net.Conn, host string) bool {
	var oldest net.Conn
	var at time.Time
	for c, st := range cl.conns {
		if c == keep || !st.waiting || (host != "" && st.host != host) {
			continue
		}
		if oldest == nil || st.since.Before(at) {
			oldest, at = c, st.since
		}
	}
	if oldest == nil {
		return false
	}
	cl.forget(oldest)
	_ = oldest.Close()
	return true
}

// refuse answers a connection beyond the limits with 503 and closes it.
func (cl *connLimiter) refuse(c net.Conn) {
	cl.forget(c)
	_ = c.SetWriteDeadline(time.Now().Add(time.Second))
	_, _ = c.Write([]byte("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nRetry-After: 5\r\nConnection: close\r\nContent-Length: 37\r\n\r\nToo many connections; try again soon\n"))
	_ = c.Close()
}

func (cl *connLimiter) forget(c net.Conn) {
	st := cl.conns[c]
	if st == nil {
		return
	}
	delete(cl.conns, c)
	if cl.byHost[st.host]--; cl.byHost[st.host] <= 0 {
		delete(cl.byHost, st.host)
	}
}

// closeUnused closes the connections that have not sent a request. It
// runs as Shutdown begins (RegisterOnShutdown), once the listener is
// closed: http.Server.Shutdown counts such a connection as busy for its
// first 5 seconds, so Close waited for a client's spare connection, or
// one whose request was called off while it was dialled.
func (cl *connLimiter) closeUnused() {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	for c, st := range cl.conns {
		if !st.used {
			_ = c.Close()
		}
	}
}

// open is how many connections are tracked (tests).
func (cl *connLimiter) open() int {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	return len(cl.conns)
}

// streamLimiter enforces Limits.Streams and StreamsPerPrincipal.
type streamLimiter struct {
	max, perPrincipal int
	mu                sync.Mutex
	total             int
	bySubject         map[string]int
}

func newStreamLimiter(l Limits) *streamLimiter {
	return &streamLimiter{max: l.Streams, perPrincipal: l.StreamsPerPrincipal, bySubject: map[string]int{}}
}

// acquire takes a stream slot for subject. It returns the release
// function, or the HTTP status and message of the refusal.
func (sl *streamLimiter) acquire(subject string) (release func(), status int, msg string) {
	sl.mu.Lock()
	defer sl.mu.Unlock()
	switch {
	case sl.bySubject[subject] >= sl.perPrincipal:
		return nil, http.StatusTooManyRequests, "too many event streams open for this person; close one first"
	case sl.total >= sl.max:
		return nil, http.StatusServiceUnavailable, "the service holds as many event streams as it can; try again later"
	}
	sl.total++
	sl.bySubject[subject]++
	var once sync.Once
	return func() {
		once.Do(func() {
			sl.mu.Lock()
			defer sl.mu.Unlock()
			sl.total--
			if sl.bySubject[subject]--; sl.bySubject[subject] <= 0 {
				delete(sl.bySubject, subject)
			}
		})
	}, 0, ""
}

// errorCodeOf is the API error code of a refusal status.
func errorCodeOf(status int) string {
	if status == http.StatusTooManyRequests {
		return api.CodeTooManyRequests
	}
	return api.CodeUnavailable
}
