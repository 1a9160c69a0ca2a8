package exchange

import (
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/vienreiz/vienreiz/api"
)

// Pairing codes are short (40 bits) so that a person can type them, and
// POST /v1/devices/pair takes them from anyone: an address that keeps
// trying codes that do not exist is a guesser. guessLimiter lets each
// address make Limits.CodeGuesses such failures per guessWindow and
// answers 429 after that; a right code, or one that is merely used or
// expired, costs nothing.
const guessWindow = 10 * time.Minute

// guessLimiter counts the failed guesses per client address.
type guessLimiter struct {
	mu     sync.Mutex
	max    int
	now    func() time.Time
	byAddr map[string]*guesses
}

// guesses are one address's failures since start.
type guesses struct {
	start time.Time
	n     int
}

func newGuessLimiter(max int, now func() time.Time) *guessLimiter {
	return &guessLimiter{max: max, now: now, byAddr: map[string]*guesses{}}
}

// clientAddr is the address the request came from, without its port.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// refuse answers 429 and reports true when addr has used up its guesses.
func (g *guessLimiter) refuse(w http.ResponseWriter, addr string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	e := g.byAddr[addr]
	if e == nil || e.n < g.max {
		return false
	}
	wait := e.start.Add(guessWindow).Sub(g.now())
	if wait <= 0 {
		delete(g.byAddr, addr)
		return false
	}
	w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
	writeError(w, http.StatusTooManyRequests, api.CodeTooManyRequests,
		"too many codes that do not exist were tried from this address; wait and type the code shown under the QR code again")
	return true
}

// failed counts a guess of addr that named no code.
func (g *guessLimiter) failed(addr string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	if len(g.byAddr) > 10000 { // forget the windows that ended
		for a, e := range g.byAddr {
			if now.Sub(e.start) >= guessWindow {
				delete(g.byAddr, a)
			}
		}
	}
	e := g.byAddr[addr]
	if e == nil || now.Sub(e.start) >= guessWindow {
		e = &guesses{start: now}
		g.byAddr[addr] = e
	}
	e.n++
}
