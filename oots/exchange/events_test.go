package exchange

import (
	"bufio"
	"encoding/json"
	"errors"
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
	return attachStreamIn(t, h, subject, "")
}

// attachStreamIn is attachStream for a stream that joins group ("" none).
func attachStreamIn(t *testing.T, h *Hub, subject, group string) *testStream {
	t.Helper()
	server, client := net.Pipe()
	s := &testStream{client: client, events: bufio.NewReader(client)}
	head := make(chan error, 1)
	go func() { head <- s.readHead() }() // a pipe's write waits for its reader
	if !h.attach(subject, group, server, func() { s.released.Add(1) }) {
		t.Fatal("the hub refused a stream")
	}
	if err := <-head; err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	return s
}

// readHead reads the head attach writes before the events (streamHead).
func (s *testStream) readHead() error {
	head := make([]byte, len(streamHead))
	if _, err := io.ReadFull(s.events, head); err != nil || string(head) != streamHead {
		return fmt.Errorf("the stream's head: %q, %v", head, err)
	}
	return nil
}

// attachTCPStream is attachStream over a real loopback TCP connection
// whose socket buffers are small, so that a reader that does not read
// soon leaves the hub's writes no room.
func attachTCPStream(t *testing.T, h *Hub, subject string) *testStream {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	client, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	server, err := l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	if client.(*net.TCPConn).SetReadBuffer(16<<10) != nil || server.(*net.TCPConn).SetWriteBuffer(16<<10) != nil {
		t.Fatal("cannot make the socket buffers small")
	}
	s := &testStream{client: client, events: bufio.NewReader(client)}
	if !h.attach(subject, "", server, func() { s.released.Add(1) }) {
		t.Fatal("the hub refused a stream")
	}
	if err := s.readHead(); err != nil {
		t.Fatal(err)
	}
	return s
}

// waitingForRoom reports how many of subject's streams have a write
// waiting for room in their socket buffer.
func waitingForRoom(h *Hub, subject string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, s := range h.streams[subject] {
		s.mu.Lock()
		if s.draining {
			n++
		}
		s.mu.Unlock()
	}
	return n
}

// bigEvent is an event of more than 64 KiB.
func bigEvent(id string) api.Event {
	return api.Event{RequestID: id, Detail: strings.Repeat("x", 64<<10)}
}

// event reads the stream's next SSE event.
func (s *testStream) event() (api.Event, error) {
	_ = s.client.SetReadDeadline(time.Now().Add(10 * time.Second))
	var lines []string
	var e api.Event
	for {
		line, err := s.events.ReadString('\n')
		if err != nil {
			return e, fmt.Errorf("reading the stream after %.200q: %w", lines, err)
		}
		if line == "\n" {
			break
		}
		lines = append(lines, line)
	}
	if len(lines) != 2 || lines[0] != "event: request\n" || json.Unmarshal([]byte(strings.TrimPrefix(lines[1], "data: ")), &e) != nil {
		return e, fmt.Errorf("not one SSE request event: %.200q", lines)
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
	var want string
	for _, id := range []string{"1", "2", "3"} {
		want += string(appendFrame(nil, api.Event{RequestID: id}))
	}
	// Publish only queues: the rest of event 0 is read once the hub has
	// put events 1-3 behind it (read earlier, the write of event 0 could
	// end before events 2 and 3 came, which then went out in a write of
	// their own: seen once in a full run).
	for give := time.Now().Add(10 * time.Second); owedTo(h, "a") != want; time.Sleep(time.Millisecond) {
		if time.Now().After(give) {
			t.Fatalf("the stream is owed %q, want events 1-3", owedTo(h, "a"))
		}
	}
	first += read(64 << 10)
	if !strings.Contains(first, `"request_id":"0"`) || strings.Count(first, "event: request") != 1 {
		t.Fatalf("first write %q", first)
	}
	second := read(64 << 10)
	if second != want {
		t.Fatalf("second write %q, want events 1-3 together: %q", second, want)
	}
}

// owedTo is what subject's first stream is owed behind the write going on.
func owedTo(h *Hub, subject string) string {
	h.mu.Lock()
	s := h.streams[subject][0]
	h.mu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	return string(s.behind)
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

// TestHubWritesWhatDidNotFitInOrder: over real TCP, the events a
// reader's socket buffer had no room for reach it once it reads again,
// whole, after what fit and before the events published meanwhile.
func TestHubWritesWhatDidNotFitInOrder(t *testing.T) {
	h := newHub(time.Hour) // the reader reads only once the hub waits for it
	defer h.Close()
	s := attachTCPStream(t, h, "a")
	const n = 20 // 1.3 MB, far more than the socket buffers take
	for i := range n {
		h.Publish("a", bigEvent(fmt.Sprint(i)))
	}
	for give := time.Now().Add(10 * time.Second); waitingForRoom(h, "a") == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(give) {
			t.Fatal("the hub never waited for room: were the events written whole?")
		}
	}
	h.Publish("a", api.Event{RequestID: "after"})
	for i := range n {
		if got := s.next(t); got != fmt.Sprint(i) {
			t.Fatalf("event %d is %q", i, got)
		}
	}
	if got := s.next(t); got != "after" {
		t.Fatalf("the event published while the hub waited came as %q", got)
	}
	for give := time.Now().Add(10 * time.Second); waitingForRoom(h, "a") > 0; time.Sleep(time.Millisecond) {
		if time.Now().After(give) {
			t.Fatal("the hub still waits for room after everything was read")
		}
	}
	h.Publish("a", api.Event{RequestID: "next"}) // fits at once again
	if got := s.next(t); got != "next" || s.released.Load() != 0 {
		t.Fatalf("then %q, released %d times", got, s.released.Load())
	}
}

// TestHubDropsATCPStreamThatNeverReads: over real TCP, a reader that
// never reads does not hold up its person's other stream; once its socket
// buffer is full and the time-out passed, its stream is closed, after the
// events that fit, whole and in order.
func TestHubDropsATCPStreamThatNeverReads(t *testing.T) {
	h := newHub(2 * time.Second)
	defer h.Close()
	stuck, live := attachTCPStream(t, h, "a"), attachTCPStream(t, h, "a")
	const n = 20
	for i := range n {
		h.Publish("a", bigEvent(fmt.Sprint(i)))
	}
	for i := range n {
		if got := live.next(t); got != fmt.Sprint(i) {
			t.Fatalf("the live stream's event %d is %q", i, got)
		}
	}
	for give := time.Now().Add(20 * time.Second); stuck.released.Load() == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(give) {
			t.Fatal("the stream that never reads was not dropped")
		}
	}
	if n := h.Streams(); n != 1 || live.released.Load() != 0 {
		t.Fatalf("%d streams left open (live released %d times), want the live one", n, live.released.Load())
	}
	var got int
	for ; ; got++ {
		id, err := stuck.read()
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatalf("the dropped stream was not closed: %v", err)
			}
			break
		}
		if id != fmt.Sprint(got) {
			t.Fatalf("the dropped stream's event %d is %q", got, id)
		}
	}
	if got == n || stuck.released.Load() != 1 {
		t.Fatalf("the dropped stream got %d of %d events and was released %d times", got, n, stuck.released.Load())
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
	if h.attach("a", "", server, func() {}) {
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

// TestHubSendsAGroupsEventsToItsMembers: a clerk's streams join their
// institution's group; an event published to the group reaches each
// member's streams once, and nobody outside it; a member whose streams
// have all ended is no longer in it.
func TestHubSendsAGroupsEventsToItsMembers(t *testing.T) {
	h := NewHub()
	defer h.Close()
	anna1 := attachStreamIn(t, h, "anna", "clerks:LV-UR")
	anna2 := attachStreamIn(t, h, "anna", "clerks:LV-UR")
	peteris := attachStreamIn(t, h, "peteris", "clerks:LV-UR")
	other := attachStreamIn(t, h, "ilze", "clerks:LV-CSDD")
	citizen := attachStream(t, h, "janis")
	h.PublishGroup("clerks:LV-UR", api.Event{RequestID: "business"})
	h.PublishGroup("clerks:LV-CSDD", api.Event{RequestID: "vehicle"})
	h.Publish("janis", api.Event{RequestID: "his own"})
	for name, s := range map[string]*testStream{"anna's first": anna1, "anna's second": anna2, "Pēteris's": peteris} {
		if got := s.next(t); got != "business" {
			t.Errorf("%s stream got %q, want the group's event", name, got)
		}
	}
	if got := other.next(t); got != "vehicle" {
		t.Errorf("another institution's clerk got %q first", got)
	}
	if got := citizen.next(t); got != "his own" {
		t.Errorf("the citizen got %q first", got)
	}
	peteris.client.Close()
	for deadline := time.Now().Add(5 * time.Second); peteris.released.Load() == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("Pēteris's stream did not end")
		}
	}
	if members := h.members("clerks:LV-UR"); fmt.Sprint(members) != "[anna]" {
		t.Fatalf("the group's members after Pēteris left: %v", members)
	}
}
