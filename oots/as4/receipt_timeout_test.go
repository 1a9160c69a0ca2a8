package as4_test

import (
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4"
)

// slowBody reads a request body at most chunk bytes per pause; after
// stallAfter bytes (> 0) it stops reading for 8 s, then fails.
type slowBody struct {
	ctx        context.Context
	r          io.ReadCloser
	chunk      int
	pause      time.Duration
	stallAfter int64
	read       int64
}

func (s *slowBody) Read(p []byte) (int, error) {
	if s.stallAfter > 0 && s.read >= s.stallAfter {
		select { // a peer that stopped reading
		case <-s.ctx.Done():
		case <-time.After(8 * time.Second):
		}
		return 0, io.ErrUnexpectedEOF
	}
	time.Sleep(s.pause)
	n, err := s.r.Read(p[:min(len(p), s.chunk)])
	s.read += int64(n)
	return n, err
}

func (s *slowBody) Close() error { return s.r.Close() }

// TestReceiptTimeoutCountsFromTheLastByte: an upload that takes longer
// than the P-Mode's receipt time-out, but moves all the time, gets its
// receipt at the first attempt; an upload that stalls ends after the
// time-out. Small socket buffers on both ends keep the bytes in flight few.
func TestReceiptTimeoutCountsFromTheLastByte(t *testing.T) {
	w := newWorld(t, 1)
	w.noRecord.Store(true)
	w.pm.Reliability.RetryCount = 0
	w.pm.Reliability.ReceiptTimeout = 3 * time.Second
	var stallAfter atomic.Int64
	front := httptest.NewUnstartedServer(http.HandlerFunc(func(rw http.ResponseWriter, req *http.Request) {
		req.Body = &slowBody{ctx: req.Context(), r: req.Body, chunk: 16 << 10, pause: 100 * time.Millisecond, stallAfter: stallAfter.Load()}
		w.recv[0].ServeHTTP(rw, req)
	}))
	front.Config.ConnContext = func(ctx context.Context, c net.Conn) context.Context {
		c.(*net.TCPConn).SetReadBuffer(32 << 10)
		return ctx
	}
	front.Start()
	defer front.Close()
	w.sendCfg.Parties["de"].Endpoints = []string{front.URL + "/as4"}
	client := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err == nil {
			c.(*net.TCPConn).SetWriteBuffer(32 << 10)
		}
		return c, err
	}}}
	// About 6.5 s at this pace (incompressible), little work after it.
	evidence := make([]byte, 1<<20)
	rand.Read(evidence)
	send := func() (*as4.Result, time.Duration, error) {
		s := w.memSender()
		s.Client = client
		start := time.Now()
		res, err := s.Send(context.Background(), querySubmission(
			payload("q@x", as4.MimeEbRS, []byte("<query/>")), payload("ev@x", "application/octet-stream", evidence)))
		return res, time.Since(start), err
	}

	res, took, err := send()
	if err != nil {
		t.Fatalf("an upload of %v that never stalled: %v", took, err)
	}
	if res.Attempts != 1 || took < 5*time.Second {
		t.Fatalf("%d attempts in %v; want 1 attempt well over the 3 s receipt time-out", res.Attempts, took)
	}

	stallAfter.Store(128 << 10)
	_, took, err = send()
	if err == nil {
		t.Fatal("a stalled upload got a receipt")
	}
	if took > 7*time.Second {
		t.Fatalf("a stalled upload ended after %v; want about the 3 s time-out (the peer stalls 8 s)", took)
	}
}

// TestReceiptTimeoutGrowsWithTheMessage: once the receiver has the last
// byte, the sender waits the P-Mode's receipt time-out and 1 s more per
// 4 MiB sent (the receiver decrypts and stores a large message before it
// answers), then gives up. The receiver here reads the message at once and
// never answers, so only the sender's clock is timed, not how fast this
// machine decrypts (a real receiver under the race detector at high load
// took longer than the 4 s a 16 MiB message is given).
func TestReceiptTimeoutGrowsWithTheMessage(t *testing.T) {
	w := newWorld(t, 1)
	w.pm.Compress = false // the message is as large as what it carries
	w.pm.Reliability.RetryCount = 0
	w.pm.Reliability.ReceiptTimeout = time.Second
	var lastByte atomic.Int64
	silent := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, req *http.Request) {
		io.Copy(io.Discard, req.Body)
		lastByte.Store(time.Now().UnixNano())
		<-req.Context().Done() // the sender hangs up
	}))
	defer silent.Close()
	w.sendCfg.Parties["de"].Endpoints = []string{silent.URL + "/as4"}
	large := make([]byte, 16<<20)
	rand.Read(large)
	for _, tc := range []struct {
		name     string
		data     []byte
		min, max time.Duration // around 1 s, and 1 s + 4 s
	}{{"small", []byte("<evidence/>"), 500 * time.Millisecond, 3 * time.Second}, {"16 MiB", large, 4 * time.Second, 10 * time.Second}} {
		lastByte.Store(0)
		_, err := w.memSender().Send(context.Background(), querySubmission(
			payload("q@x", as4.MimeEbRS, []byte("<query/>")), payload("ev@x", "application/octet-stream", tc.data)))
		if !errors.Is(err, as4.ErrMissingReceipt) || lastByte.Load() == 0 {
			t.Fatalf("%s message to a receiver that never answers: %v (last byte read: %v)", tc.name, err, lastByte.Load() != 0)
		}
		waited := time.Since(time.Unix(0, lastByte.Load()))
		if waited < tc.min || waited > tc.max {
			t.Errorf("%s message: the sender gave up %v after the receiver had the last byte, want %v–%v", tc.name, waited, tc.min, tc.max)
		}
		t.Logf("%s message: the sender waited %v after the last byte", tc.name, waited)
	}
}
