package exchange

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
)

// testStream is one end of an in-memory connection attached to h as a
// stream of subject; released counts the stream's release.
type testStream struct {
	client   net.Conn
	events   *bufio.Reader
	released atomic.Int32
}

func attachStream(t *testing.T, h *Hub, subject string) *testStream {
	t.Helper()
	server, client := net.Pipe()
	s := &testStream{client: client, events: bufio.NewReader(client)}
	if !h.attach(subject, server, func() { s.released.Add(1) }) {
		t.Fatal("the hub refused a stream")
	}
	t.Cleanup(func() { client.Close() })
	return s
}

// event reads the stream's next SSE event.
func (s *testStream) event() (api.Event, error) {
	_ = s.client.SetReadDeadline(time.Now().Add(10 * time.Second))
	var lines []string
	var e api.Event
	for {
		line, err := s.events.ReadString('\n')
		if err != nil {
			return e, fmt.Errorf("reading the stream after %q: %w", lines, err)
		}
		if line == "\n" {
			break
		}
		lines = append(lines, line)
	}
	if len(lines) != 2 || lines[0] != "event: request\n" || json.Unmarshal([]byte(strings.TrimPrefix(lines[1], "data: ")), &e) != nil {
		return e, fmt.Errorf("not one SSE request event: %q", lines)
	}
	return e, nil
}

// read reads the stream's next SSE event and returns its request id.
func (s *testStream) read() (string, error) {
	e, err := s.event()
	return e.RequestID, err
}

// next is read for the test's own goroutine.
func (s *testStream) next(t *testing.T) string {
	t.Helper()
	id, err := s.read()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestHubSendsEachPersonTheirEventsInOrder: every stream of a person gets
// that person's events, in the order they were published, and no one
// else's.
func TestHubSendsEachPersonTheirEventsInOrder(t *testing.T) {
	h := NewHub()
	defer h.Close()
	a1, a2, b := attachStream(t, h, "a"), attachStream(t, h, "a"), attachStream(t, h, "b")
	for i := range 20 {
		h.Publish("a", api.Event{RequestID: fmt.Sprint(i)})
	}
	h.Publish("b", api.Event{RequestID: "for b"})
	got := make(chan []string, 2)
	for _, s := range []*testStream{a1, a2} {
		go func() {
			var ids []string
			for range 20 {
				id, err := s.read()
				if err != nil {
					t.Error(err)
				}
				ids = append(ids, id)
			}
			got <- ids
		}()
	}
	want := fmt.Sprint([]string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19"})
	for range 2 {
		if ids := fmt.Sprint(<-got); ids != want {
			t.Fatalf("a stream of a got %s", ids)
		}
	}
	if got := b.next(t); got != "for b" {
		t.Fatalf("b's stream got %q first", got)
	}
}

// TestHubWritesWhatAStreamIsOwedAtOnce: events published together, and
// events published while the stream's last write was still going on, reach
// the stream in one write, in order.
func TestHubWritesWhatAStreamIsOwedAtOnce(t *testing.T) {
	h := NewHub()
	defer h.Close()
	s := attachStream(t, h, "a")
	read := func(n int) string { // a net.Pipe read returns at most what one write has left
		t.Helper()
		buf := make([]byte, n)
		_ = s.client.SetReadDeadline(time.Now().Add(10 * time.Second))
		k, err := s.client.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		return string(buf[:k])
	}
	h.Publish("a", api.Event{RequestID: "0"})
	first := read(1) // the hub is now writing event 0, and waits for the rest to be read
	h.Publish("a", api.Event{RequestID: "1"})
	h.Publish("a", api.Event{RequestID: "2"}, api.Event{RequestID: "3"})
	first += read(64 << 10)
	if !strings.Contains(first, `"request_id":"0"`) || strings.Count(first, "event: request") != 1 {
		t.Fatalf("first write %q", first)
	}
	second := read(64 << 10)
	var want string
	for _, id := range []string{"1", "2", "3"} {
		want += string(appendFrame(nil, api.Event{RequestID: id}))
	}
	if second != want {
		t.Fatalf("second write %q, want events 1-3 together: %q", second, want)
	}
}

// TestHubDropsAStreamThatDoesNotRead: a reader that stopped reading does
// not hold Publish up nor the person's other streams; after one write
// time-out its stream is closed and its place given back.
func TestHubDropsAStreamThatDoesNotRead(t *testing.T) {
	h := NewHub()
	defer h.Close()
	stuck, live := attachStream(t, h, "a"), attachStream(t, h, "a")
	for i := range 3 {
		h.Publish("a", api.Event{RequestID: fmt.Sprint(i)}) // returns although stuck never reads
	}
	for i := range 3 {
		if got := live.next(t); got != fmt.Sprint(i) {
			t.Fatalf("the live stream's event %d is %q", i, got)
		}
	}
	// The stuck reader must not read before the hub gave up on it: a read
	// would let the hub's pending write go through (all three events can
	// reach live in one write, well before the write time-out).
	for give := time.Now().Add(10 * time.Second); stuck.released.Load() == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(give) {
			t.Fatal("the stuck stream was not dropped 10 s after its write time-out")
		}
	}
	_ = stuck.client.SetReadDeadline(time.Now().Add(time.Second))
	if _, err := io.ReadAll(stuck.client); err != nil {
		t.Fatalf("the stuck stream was not closed: %v", err)
	}
	if n := stuck.released.Load(); n != 1 {
		t.Fatalf("the stuck stream's place was given back %d times", n)
	}
	if n := h.Streams(); n != 1 {
		t.Fatalf("%d streams left open, want the live one", n)
	}
}

// TestHubCloseEndsEveryStream: Close closes every stream once, refuses
// new ones, and may be called again.
func TestHubCloseEndsEveryStream(t *testing.T) {
	h := NewHub()
	a, b := attachStream(t, h, "a"), attachStream(t, h, "b")
	h.Close()
	h.Close()
	for _, s := range []*testStream{a, b} {
		if _, err := io.ReadAll(s.client); err != nil || s.released.Load() != 1 {
			t.Fatalf("after Close: read %v, released %d times", err, s.released.Load())
		}
	}
	server, client := net.Pipe()
	defer client.Close()
	if h.attach("a", server, func() {}) {
		t.Fatal("a closed hub took a stream")
	}
	h.Publish("a", api.Event{RequestID: "late"}) // does nothing, blocks nothing
}

// TestFrameIsOneSSEEvent: Publish's one encoding is a complete SSE event
// whose data is the event's JSON.
func TestFrameIsOneSSEEvent(t *testing.T) {
	e := api.Event{RequestID: "r1", Event: "evidence_delivered", State: "delivered", At: time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC), Detail: "line one\nline two"}
	f := string(appendFrame(nil, e))
	if !strings.HasPrefix(f, "event: request\ndata: {") || !strings.HasSuffix(f, "}\n\n") || strings.Count(f, "\n") != 3 {
		t.Fatalf("frame %q is not one SSE event with one data line", f)
	}
	var back api.Event
	data := strings.TrimSuffix(strings.TrimPrefix(f, "event: request\ndata: "), "\n\n")
	if err := json.Unmarshal([]byte(data), &back); err != nil || !back.At.Equal(e.At) || back.Detail != e.Detail || back.RequestID != e.RequestID {
		t.Fatalf("data %s decodes to %+v, %v", data, back, err)
	}
}
