//go:build linux

package exchange_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/internal/gcgoal"
	"github.com/vienreiz/vienreiz/internal/testproc"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// streamServerEnv tells TestEventStreamServerProcess that it is the
// server process of BenchmarkEventStreamsHTTP.
const streamServerEnv = "VIENREIZ_EVENT_STREAM_SERVER"

// BenchmarkEventStreamsHTTP opens N real HTTP event streams (GET
// /v1/events, one TCP connection each, loopback) of one person on an
// exchange service running in its own process, then creates a request as
// that person and measures when each stream got the whole first event: the
// time the kernel received the TCP segment that completed it on the
// stream's socket (SO_TIMESTAMPNS), read back by an eventReader. After the
// clock, every stream's event must be about that request.
//
// In streams-N the readers read only once the server has had time to write
// (readersWait after the request was created): real clients read on their
// own devices, while here 10,000 readers reading at once would take about a
// third of the server's 2 cores. The server still does the clients' TCP
// receive work (on loopback it runs in the sender's system calls). In
// streams-10000-read-at-once the readers read as the events arrive, as in
// earlier runs; there last-read-ms is when the 10,000th reader had read it.
//
// The baseline is streams-1, in the same run. The server's RSS is read from
// its /proc status once all streams have their event; the CPU time both
// processes used from the request's creation until the readers start (or,
// reading at once, until the last event is read) is reported too, and what
// other processes used meanwhile (others-CPU-ms: a run with much of it was
// not taken on a quiet machine).
// Goal (issue 16 item 4): 10,000th stream < 100 ms, server RSS < 150 MiB.
// VIENREIZ_EVENT_STREAM_SERVER_CPU=file profiles the server's CPU from just
// before the request is created; VIENREIZ_EVENT_STREAM_SERVER_HEAP=file
// writes its heap profile once every stream has the event. To profile the
// whole machine over the same time, run the benchmark under
// perf record -a -D -1 --control fifo:CTL,ACK with VIENREIZ_PERF_CTL=CTL
// and VIENREIZ_PERF_ACK=ACK (see perfControl).
func BenchmarkEventStreamsHTTP(b *testing.B) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		b.Fatal("needs /proc/self/status: ", err)
	}
	raiseFileLimit(b)
	var base streamRun
	for _, c := range []struct {
		n      int
		atOnce bool
	}{{1, false}, {10000, false}, {10000, true}} {
		name := fmt.Sprintf("streams-%d", c.n)
		if c.atOnce {
			name += "-read-at-once"
		}
		b.Run(name, func(b *testing.B) {
			var r streamRun
			for b.Loop() {
				r = runStreams(b, c.n, c.atOnce)
			}
			if c.n == 1 {
				base = r
			}
			b.ReportMetric(float64(r.last.Microseconds())/1000, "last-event-ms")
			b.ReportMetric(float64(r.median.Microseconds())/1000, "median-event-ms")
			if c.atOnce {
				b.ReportMetric(float64(r.lastRead.Microseconds())/1000, "last-read-ms")
			}
			b.ReportMetric(float64(r.stats.CPU.Microseconds())/1000, "server-CPU-ms")
			b.ReportMetric(float64(r.clientCPU.Microseconds())/1000, "clients-CPU-ms")
			b.ReportMetric(float64(r.othersCPU.Microseconds())/1000, "others-CPU-ms")
			b.ReportMetric(float64(r.stats.RSSKiB)/1024, "server-RSS-MiB")
			b.ReportMetric(float64(r.stats.HeapInuse)/(1<<20), "server-heap-MiB")
			b.ReportMetric(float64(r.stats.StackInuse)/(1<<20), "server-stacks-MiB")
			b.ReportMetric(float64(r.stats.Goroutines), "server-goroutines")
			if base.last > 0 {
				b.ReportMetric(float64(r.last)/float64(base.last), "latency-ratio-to-1-stream")
				b.ReportMetric(float64(r.stats.RSSKiB)/float64(base.stats.RSSKiB), "RSS-ratio-to-1-stream")
			}
		})
	}
}

// readersWait is how long after the request's creation the readers of
// streams-N start reading: the server has written every stream by then
// on a quiet machine (if not, the readers share the cores with it for the
// rest, which can only make the times later).
const readersWait = 300 * time.Millisecond

// streamRun is one measurement of runStreams.
type streamRun struct {
	last     time.Duration // from creating the request to the last stream's first event
	median   time.Duration // to the median stream's
	lastRead time.Duration // to when its reader had read the last stream's first event
	// clientCPU is what this process used from creating the request to the
	// readers' start, or reading at once, to the last event read: the
	// clients' share of the machine.
	clientCPU time.Duration
	stats     serverStats
	// othersCPU is what the machine's other processes used in that time
	// (within the 10 ms ticks of /proc/stat): a run they took cores from
	// measures them as much as the streams.
	othersCPU time.Duration
}

// serverStats is what the server process reports about itself.
type serverStats struct {
	RSSKiB, HWMKiB int64
	HeapInuse      uint64
	StackInuse     uint64
	Goroutines     int
	CPU            time.Duration // used from just before the request was created
}

// machineBusy is the CPU time all CPUs of the machine have spent busy so
// far, counted in ticks of 10 ms (Linux's USER_HZ is 100).
func machineBusy(tb testing.TB) time.Duration {
	stat, err := os.ReadFile("/proc/stat")
	if err != nil {
		tb.Fatal(err)
	}
	line, _, _ := strings.Cut(string(stat), "\n")
	var busy time.Duration
	for i, f := range strings.Fields(line)[1:] {
		var ticks int64
		fmt.Sscan(f, &ticks)
		if i < 8 && i != 3 && i != 4 { // user to steal, but idle and iowait (guest is in user)
			busy += time.Duration(ticks) * 10 * time.Millisecond
		}
	}
	return busy
}

// cpuTime is the CPU time this process has used so far.
func cpuTime(tb testing.TB) time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

func raiseFileLimit(tb testing.TB) {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		tb.Fatal(err)
	}
	l.Cur = l.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		tb.Fatal(err)
	}
	if l.Cur < 10100 {
		tb.Fatalf("open files limited to %d; 10,000 streams need more (ulimit -Hn)", l.Cur)
	}
}

// runStreams starts a server process, opens n streams, creates one
// request and waits for every stream's first event, reading the streams
// at once or after readersWait.
func runStreams(b *testing.B, n int, atOnce bool) streamRun {
	child := testproc.Start(b, "TestEventStreamServerProcess", 0, streamServerEnv+"=1")
	cmd, stdin, stdout := child.Cmd, child.Stdin, child.Stdout
	defer cmd.Wait()
	defer stdin.Close()
	lines := bufio.NewScanner(stdout)
	next := func() string {
		if !lines.Scan() {
			b.Fatalf("server process ended: %v", lines.Err())
		}
		return lines.Text()
	}
	addr := strings.TrimPrefix(next(), "http://")

	conns := make([]net.Conn, n)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failed error
	sem := make(chan struct{}, 64)
	for i := range conns {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			c, err := openStream(addr)
			mu.Lock()
			defer mu.Unlock()
			if err != nil && failed == nil {
				failed = fmt.Errorf("stream %d: %w", i, err)
			}
			conns[i] = c
		})
	}
	wg.Wait()
	defer func() {
		for _, c := range conns {
			if c != nil {
				c.Close()
			}
		}
	}()
	if failed != nil {
		b.Fatal(failed)
	}

	streams := readStreams(b, conns)
	defer streams.close()
	conns = nil // the reader has them now
	if atOnce {
		streams.begin(b)
	}
	fmt.Fprintln(stdin, "profile")
	next()
	perfControl(b, "enable")
	busyAtStart := machineBusy(b)
	cpuAtStart := cpuTime(b)
	start := time.Now()
	body, _ := json.Marshal(api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"})
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/v1/requests", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+janisToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	var created api.Request
	err = json.NewDecoder(resp.Body).Decode(&created)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusAccepted && resp.StatusCode != http.StatusOK || err != nil {
		b.Fatalf("creating a request: %s, %v", resp.Status, err)
	}
	if !atOnce {
		time.Sleep(time.Until(start.Add(readersWait)))
	}
	clientCPU := cpuTime(b) - cpuAtStart
	busy := machineBusy(b) - busyAtStart
	perfControl(b, "disable")
	if !atOnce {
		streams.begin(b)
	}
	in, read := streams.wait(b)
	if atOnce {
		clientCPU = cpuTime(b) - cpuAtStart
		busy = machineBusy(b) - busyAtStart
	}
	for i := range n { // after the clock: each stream read the whole event about this request
		if id := streams.event(b, i).RequestID; id != created.ID {
			b.Fatalf("stream %d got an event about %q, want %q", i, id, created.ID)
		}
	}
	slices.SortFunc(in, time.Time.Compare)
	slices.SortFunc(read, time.Time.Compare)
	fmt.Fprintln(stdin, "stats")
	var st serverStats
	if err := json.Unmarshal([]byte(next()), &st); err != nil {
		b.Fatal(err)
	}
	return streamRun{last: in[n-1].Sub(start), median: in[n/2].Sub(start), lastRead: read[n-1].Sub(start),
		clientCPU: clientCPU, stats: st, othersCPU: busy - clientCPU - st.CPU}
}

// openStream sends GET /v1/events as janis on a new connection and reads
// up to the stream's opening comment.
func openStream(addr string) (net.Conn, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(c, "GET /v1/events HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n\r\n", addr, janisToken)
	var seen []byte
	buf := make([]byte, 512)
	for !bytes.Contains(seen, []byte(": vienreiz events")) {
		k, err := c.Read(buf)
		if err != nil {
			c.Close()
			return nil, fmt.Errorf("before the stream opened: %w (read %q)", err, seen)
		}
		seen = append(seen, buf[:k]...)
	}
	if !bytes.HasPrefix(seen, []byte("HTTP/1.1 200")) {
		c.Close()
		return nil, fmt.Errorf("answer %q", seen)
	}
	return c, nil
}

// eventReader reads the first event of many streams the way many
// separate clients would, each with its own reads of its own socket, but
// without a goroutine per stream: the benchmark's own work shares the
// server's cores, where real clients would not. It waits for readable
// sockets with epoll, reads each into its own buffer and notes when the
// kernel received the segment that completed its first event, and when it
// was read.
type eventReader struct {
	epoll  int
	fds    []int    // the streams' sockets, taken over from their net.Conns
	seen   [][]byte // by stream: what it read after the stream's opening
	in     []time.Time
	read   []time.Time
	left   atomic.Int64 // streams still without their first event
	failed atomic.Pointer[error]
	done   sync.WaitGroup
	closed sync.Once
}

// readerNap is how long a reader sleeps when no stream has anything to
// read. The readers never block in epoll_wait: on loopback a write runs the
// receiving side of TCP on the writer's CPU, waking a reader blocked there
// included, a cost a server's writes to clients on other machines do not
// pay. The nap can only make the measured times later.
const readerNap = 200 * time.Microsecond

// eventStart begins the first request event of a stream.
var eventStart = []byte("event: request\ndata: {")

// readStreamsLimit bounds the wait for every stream's first event.
const readStreamsLimit = 30 * time.Second

// readStreams takes conns over, asking the kernel to time when it receives
// each of their segments; begin starts reading them.
func readStreams(b *testing.B, conns []net.Conn) *eventReader {
	epoll, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		b.Fatal(err)
	}
	r := &eventReader{epoll: epoll, fds: make([]int, 0, len(conns)), seen: make([][]byte, len(conns)),
		in: make([]time.Time, len(conns)), read: make([]time.Time, len(conns))}
	b.Cleanup(r.close)
	const room = 2048 // for the events of one request's first change
	space := make([]byte, len(conns)*room)
	for i := 0; i < len(space); i += os.Getpagesize() {
		space[i] = 1 // fault the pages in now, not while timing
	}
	for i, c := range conns {
		raw, err := c.(*net.TCPConn).SyscallConn()
		if err != nil {
			b.Fatal(err)
		}
		var fd int
		var dupErr error
		if err := raw.Control(func(s uintptr) { fd, dupErr = syscall.Dup(int(s)) }); err != nil || dupErr != nil {
			b.Fatal(err, dupErr)
		}
		r.fds = append(r.fds, fd)
		c.Close() // leaves Go's poller; fd is the same socket
		if err := syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_TIMESTAMPNS, 1); err != nil {
			b.Fatal(err)
		}
		r.seen[i] = space[i*room : i*room : (i+1)*room]
	}
	r.left.Store(int64(len(conns)))
	return r
}

// begin watches every stream with epoll and starts one reader per CPU,
// which read until each stream has its first event or
// readStreamsLimit has passed; wait returns then.
func (r *eventReader) begin(b *testing.B) {
	for i := range r.fds {
		if err := r.watch(i, syscall.EPOLL_CTL_ADD); err != nil {
			b.Fatal(err)
		}
	}
	deadline := time.Now().Add(readStreamsLimit)
	for range runtime.GOMAXPROCS(0) {
		r.done.Go(func() {
			events := make([]syscall.EpollEvent, 256)
			scratch := make([]byte, 64<<10)
			oob := make([]byte, 64)
			for r.left.Load() > 0 && r.failed.Load() == nil && time.Now().Before(deadline) {
				n, err := syscall.EpollWait(r.epoll, events, 0)
				if err == syscall.EINTR || n == 0 {
					time.Sleep(readerNap)
					continue
				}
				if err != nil {
					r.failed.Store(&err)
					return
				}
				for _, ev := range events[:n] {
					if err := r.readStream(int(ev.Fd), scratch, oob); err != nil {
						r.failed.Store(&err)
						return
					}
				}
			}
		})
	}
}

// watch asks epoll for the next time stream i can be read.
func (r *eventReader) watch(i, op int) error {
	ev := syscall.EpollEvent{Events: syscall.EPOLLIN | syscall.EPOLLRDHUP | syscall.EPOLLONESHOT, Fd: int32(i)}
	return syscall.EpollCtl(r.epoll, op, r.fds[i], &ev)
}

// readStream reads what stream i has, through scratch, and notes the
// times if its first event is now whole; otherwise it watches the stream
// again. (Reading into a buffer the kernel has not written to before costs
// more than the read itself on this virtual machine.)
func (r *eventReader) readStream(i int, scratch, oob []byte) error {
	k, oobn, _, _, err := syscall.Recvmsg(r.fds[i], scratch, oob, 0)
	if err == syscall.EAGAIN || err == syscall.EINTR {
		return r.watch(i, syscall.EPOLL_CTL_MOD)
	}
	if k <= 0 {
		return fmt.Errorf("stream %d ended before its first event (%v) after %q", i, err, r.seen[i])
	}
	seen := append(r.seen[i], scratch[:k]...)
	r.seen[i] = seen
	if at := bytes.Index(seen, eventStart); at >= 0 && bytes.Contains(seen[at:], []byte("\n\n")) {
		r.read[i], r.in[i] = time.Now(), received(oob[:oobn])
		if r.in[i].IsZero() {
			return fmt.Errorf("stream %d: no receive time in %q", i, oob[:oobn])
		}
		r.left.Add(-1)
		return nil
	}
	return r.watch(i, syscall.EPOLL_CTL_MOD)
}

// received is the time in a SCM_TIMESTAMPNS control message: when the
// kernel received the last segment read.
func received(oob []byte) time.Time {
	msgs, _ := syscall.ParseSocketControlMessage(oob)
	for _, m := range msgs {
		if m.Header.Level == syscall.SOL_SOCKET && m.Header.Type == syscall.SCM_TIMESTAMPNS && len(m.Data) >= 16 {
			ts := (*syscall.Timespec)(unsafe.Pointer(&m.Data[0]))
			return time.Unix(ts.Unix())
		}
	}
	return time.Time{}
}

// wait waits for the readers and returns when the kernel received each
// stream's first event, and when it was read.
func (r *eventReader) wait(b *testing.B) (in, read []time.Time) {
	r.done.Wait()
	if err := r.failed.Load(); err != nil {
		b.Fatal(*err)
	}
	if left := r.left.Load(); left > 0 {
		b.Fatalf("%d streams of %d did not get their first event in time", left, len(r.fds))
	}
	return slices.Clone(r.in), slices.Clone(r.read)
}

// event decodes the first event stream i read.
func (r *eventReader) event(b *testing.B, i int) api.Event {
	seen := r.seen[i]
	seen = seen[bytes.Index(seen, eventStart)+len(eventStart)-1:]
	var e api.Event
	if err := json.Unmarshal(seen[:bytes.IndexByte(seen, '\n')], &e); err != nil {
		b.Fatalf("stream %d: %v in %q", i, err, r.seen[i])
	}
	return e
}

// close stops the readers and closes the streams.
func (r *eventReader) close() {
	r.closed.Do(func() {
		r.failed.CompareAndSwap(nil, new(error))
		r.done.Wait()
		syscall.Close(r.epoll)
		for _, fd := range r.fds {
			syscall.Close(fd)
		}
	})
}

// TestEventStreamServerProcess is the server process of
// BenchmarkEventStreamsHTTP: it prints its URL, then answers each "stats"
// line on stdin with its serverStats as JSON, and ends when stdin closes.
func TestEventStreamServerProcess(t *testing.T) {
	if os.Getenv(streamServerEnv) == "" {
		t.Skip("only run by BenchmarkEventStreamsHTTP")
	}
	raiseFileLimit(t)
	gcgoal.Set(gcgoal.Server) // as the server sets it
	s := start(t, exchange.Config{DataDir: t.TempDir(), Auth: people, Limits: exchange.Limits{
		Conns: 20000, ConnsPerHost: 20000, Streams: 20000, StreamsPerPrincipal: 20000}})
	fmt.Println(s.URL())
	in := bufio.NewScanner(os.Stdin)
	var cpuAtStart time.Duration
	for in.Scan() {
		if in.Text() == "profile" {
			cpuAtStart = cpuTime(t)
			if f := os.Getenv(streamServerEnv + "_CPU"); f != "" {
				out, _ := os.Create(f)
				pprof.StartCPUProfile(out)
				defer pprof.StopCPUProfile()
			}
			fmt.Println("{}")
			continue
		}
		if f := os.Getenv(streamServerEnv + "_HEAP"); f != "" {
			out, _ := os.Create(f)
			pprof.WriteHeapProfile(out)
			out.Close()
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		st := serverStats{HeapInuse: ms.HeapInuse, StackInuse: ms.StackInuse, Goroutines: runtime.NumGoroutine(), CPU: cpuTime(t) - cpuAtStart}
		status, _ := os.ReadFile("/proc/self/status")
		for _, line := range strings.Split(string(status), "\n") {
			f := strings.Fields(line)
			if len(f) >= 2 && f[0] == "VmRSS:" {
				fmt.Sscan(f[1], &st.RSSKiB)
			}
			if len(f) >= 2 && f[0] == "VmHWM:" {
				fmt.Sscan(f[1], &st.HWMKiB)
			}
		}
		out, _ := json.Marshal(st)
		fmt.Println(string(out))
	}
}

// perfControl sends cmd ("enable", "disable") to the perf that runs the
// benchmark with --control fifo:$VIENREIZ_PERF_CTL,$VIENREIZ_PERF_ACK, and
// waits for its answer; without VIENREIZ_PERF_CTL it does nothing.
func perfControl(b *testing.B, cmd string) {
	ctl := os.Getenv("VIENREIZ_PERF_CTL")
	if ctl == "" {
		return
	}
	if err := os.WriteFile(ctl, []byte(cmd+"\n"), 0); err != nil {
		b.Fatal(err)
	}
	ack, err := os.Open(os.Getenv("VIENREIZ_PERF_ACK"))
	if err != nil {
		b.Fatal(err)
	}
	defer ack.Close()
	buf := make([]byte, 16)
	ack.Read(buf)
}
