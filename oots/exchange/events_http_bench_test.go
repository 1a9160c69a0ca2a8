package exchange_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/vienreiz/vienreiz/internal/testproc"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// streamServerEnv tells TestEventStreamServerProcess that it is the
// server process of BenchmarkEventStreamsHTTP.
const streamServerEnv = "VIENREIZ_EVENT_STREAM_SERVER"

// BenchmarkEventStreamsHTTP opens N real HTTP event streams (GET
// /v1/events, one TCP connection each, loopback) of one person on an
// exchange service running in its own process, then creates a request as
// that person and measures until the last stream has read the first event.
// The baseline is the same with 1 stream, in the same run. The server's RSS
// is read from its /proc status once all streams have their event.
// Goal (issue 16 item 4): 10,000th stream < 100 ms, server RSS < 150 MiB.
// VIENREIZ_EVENT_STREAM_SERVER_CPU=file profiles the server's CPU from just
// before the request is created; VIENREIZ_EVENT_STREAM_SERVER_HEAP=file
// writes its heap profile once every stream has the event.
func BenchmarkEventStreamsHTTP(b *testing.B) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		b.Fatal("needs /proc/self/status: ", err)
	}
	raiseFileLimit(b)
	var base streamRun
	for _, n := range []int{1, 10000} {
		b.Run(fmt.Sprintf("streams-%d", n), func(b *testing.B) {
			var r streamRun
			for b.Loop() {
				r = runStreams(b, n)
			}
			if n == 1 {
				base = r
			}
			b.ReportMetric(float64(r.last.Microseconds())/1000, "last-event-ms")
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

// streamRun is one measurement of runStreams.
type streamRun struct {
	last  time.Duration // from creating the request to the last stream's first event
	stats serverStats
}

// serverStats is what the server process reports about itself.
type serverStats struct {
	RSSKiB, HWMKiB int64
	HeapInuse      uint64
	StackInuse     uint64
	Goroutines     int
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
// request and waits for every stream's first event.
func runStreams(b *testing.B, n int) streamRun {
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

	got := make(chan time.Time, n)
	for _, c := range conns {
		go func() { got <- firstEvent(c) }()
	}
	fmt.Fprintln(stdin, "profile")
	next()
	start := time.Now()
	body, _ := json.Marshal(api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"})
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/v1/requests", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+janisToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusAccepted && resp.StatusCode != http.StatusOK {
		b.Fatalf("creating a request: %s", resp.Status)
	}
	var last time.Time
	timeout := time.After(30 * time.Second)
	for range n {
		select {
		case t := <-got:
			if t.IsZero() {
				b.Fatal("a stream ended before its first event")
			}
			if t.After(last) {
				last = t
			}
		case <-timeout:
			b.Fatal("not every stream got the event within 30 s")
		}
	}
	fmt.Fprintln(stdin, "stats")
	var st serverStats
	if err := json.Unmarshal([]byte(next()), &st); err != nil {
		b.Fatal(err)
	}
	return streamRun{last: last.Sub(start), stats: st}
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

// firstEvent reads c until an SSE "request" event arrives and returns
// when; zero if the stream ended first.
func firstEvent(c net.Conn) time.Time {
	var seen []byte
	buf := make([]byte, 512)
	for {
		k, err := c.Read(buf)
		if err != nil {
			return time.Time{}
		}
		seen = append(seen, buf[:k]...)
		if bytes.Contains(seen, []byte("event: request\ndata: {")) {
			return time.Now()
		}
	}
}

// TestEventStreamServerProcess is the server process of
// BenchmarkEventStreamsHTTP: it prints its URL, then answers each "stats"
// line on stdin with its serverStats as JSON, and ends when stdin closes.
func TestEventStreamServerProcess(t *testing.T) {
	if os.Getenv(streamServerEnv) == "" {
		t.Skip("only run by BenchmarkEventStreamsHTTP")
	}
	raiseFileLimit(t)
	s := start(t, exchange.Config{DataDir: t.TempDir(), Auth: people, Limits: exchange.Limits{
		Conns: 20000, ConnsPerHost: 20000, Streams: 20000, StreamsPerPrincipal: 20000}})
	fmt.Println(s.URL())
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		if in.Text() == "profile" {
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
		st := serverStats{HeapInuse: ms.HeapInuse, StackInuse: ms.StackInuse, Goroutines: runtime.NumGoroutine()}
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
