package as4_test

import (
	"bufio"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"fmt"
	"github.com/vienreiz/vienreiz/internal/gcgoal"
	"github.com/vienreiz/vienreiz/internal/testproc"
	"hash/fnv"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/as4/keys"
	"github.com/vienreiz/vienreiz/oots/as4/pmode"
	"github.com/vienreiz/vienreiz/oots/as4/sqlitestore"
)

// Environment of BenchmarkSustained:
//   - VIENREIZ_SUSTAINED_DURATION: how long the senders send (Go duration,
//     default 10s; the figure is 10m);
//   - VIENREIZ_SUSTAINED_SENDERS: concurrent senders (default 8);
//   - VIENREIZ_SUSTAINED_PROFILE: a folder where the sender and receiver
//     processes write sender.cpu and receiver.cpu (go tool pprof);
//   - VIENREIZ_SUSTAINED_TRACE: a folder where they write sender.trace and
//     receiver.trace (go tool trace; -pprof=sync shows what they wait for).
const (
	envSustainedDuration = "VIENREIZ_SUSTAINED_DURATION"
	envSustainedSenders  = "VIENREIZ_SUSTAINED_SENDERS"
	envSustainedProfile  = "VIENREIZ_SUSTAINED_PROFILE"
	envSustainedTrace    = "VIENREIZ_SUSTAINED_TRACE"
	envSustainedChild    = "VIENREIZ_SUSTAINED_CHILD"
	tenths               = 10
)

// BenchmarkSustained is the sustained AS4 run of issue 16 item 2: a Sender
// process and a Receiver process on loopback HTTP, each with its SQLite
// store (outbox; duplicate elimination), the OOTS P-Mode's security (signed,
// compressed, encrypted, signed non-repudiation receipts). 8 senders send
// 1 KiB queries back to back for the configured duration.
//
// The bound is three RSA-2048 private-key operations per message (sign
// the message, unwrap its key, sign the receipt), measured on all cores
// just before and just after the run: bound = signatures per second / 3.
// It reports:
//   - msg/s and of-bound (msg/s ÷ bound; goal ≥ 0.6);
//   - cpu-of-bound: the RSA CPU time of three signatures ÷ the CPU time
//     both processes spent per message (less sensitive to other load);
//   - p50-ms, p99-ms (goal < 50), max-ms of Send, receipt included;
//   - last/first-tenth: throughput of the last tenth of the run ÷ the first
//     (degradation over time shows as < 1);
//   - duplicates (deliveries beyond one per MessageId; must be 0) and
//     lost (sent with a receipt but never delivered; must be 0);
//   - recv-B/msg, send-B/msg: SQLite file bytes per message on each side;
//   - peak RSS of each process;
//   - send-/recv-user-ms/msg, send-/recv-sys-ms/msg: each process's CPU
//     time per message in user space and in the kernel, rsa-ms/op the CPU
//     time of one signature in the bound's measurement, and machine-idle
//     the share of the machine's CPU left idle during the run (what the
//     two processes wait for rather than compute).
func BenchmarkSustained(b *testing.B) {
	duration := 10 * time.Second
	if d, err := time.ParseDuration(os.Getenv(envSustainedDuration)); err == nil && d > 0 {
		duration = d
	}
	senders := 8
	if n, err := strconv.Atoi(os.Getenv(envSustainedSenders)); err == nil && n > 0 {
		senders = n
	}
	dir := b.TempDir()
	w := newWorld(b, 0)
	writeIdentity(b, filepath.Join(dir, "lv"), w.lvID)
	writeIdentity(b, filepath.Join(dir, "de"), w.deID)
	writeCerts(b, filepath.Join(dir, "ca"), w.pki.Root, w.pki.Issuer)
	key := w.lvID.Key.(*rsa.PrivateKey)

	for b.Loop() {
		before := rsaRate(b, key, 2*time.Second)
		run := runSustained(b, dir, duration, senders)
		after := rsaRate(b, key, 2*time.Second)
		bound := (before.perSecond + after.perSecond) / 2 / 3
		cpuPerRSA := (before.cpuPerOp + after.cpuPerOp) / 2
		load, _ := os.ReadFile("/proc/loadavg")
		b.Logf("%d senders for %v: %d messages, %.0f msg/s; RSA bound %.0f msg/s (before %.0f, after %.0f); p99 %.1f ms; tenths %v; load average %s",
			senders, duration, run.sent, run.rate(), bound, before.perSecond/3, after.perSecond/3, run.p99.Seconds()*1000, run.tenths, strings.TrimSpace(string(load)))
		if run.errors > 0 || run.duplicates > 0 || run.lost > 0 {
			b.Errorf("%d failed sends, %d duplicate deliveries, %d messages acknowledged but not delivered", run.errors, run.duplicates, run.lost)
		}
		b.ReportMetric(run.rate(), "msg/s")
		b.ReportMetric(bound, "bound-msg/s")
		b.ReportMetric(run.rate()/bound, "of-bound")
		b.ReportMetric(3*cpuPerRSA.Seconds()/(run.cpu.Seconds()/float64(run.sent)), "cpu-of-bound")
		b.ReportMetric(run.p50.Seconds()*1000, "p50-ms")
		b.ReportMetric(run.p99.Seconds()*1000, "p99-ms")
		b.ReportMetric(run.max.Seconds()*1000, "max-ms")
		perMsg := func(d time.Duration) float64 { return d.Seconds() * 1000 / float64(run.sent) }
		b.ReportMetric(perMsg(run.sendCPU.user), "send-user-ms/msg")
		b.ReportMetric(perMsg(run.sendCPU.sys), "send-sys-ms/msg")
		b.ReportMetric(perMsg(run.recvCPU.user), "recv-user-ms/msg")
		b.ReportMetric(perMsg(run.recvCPU.sys), "recv-sys-ms/msg")
		b.ReportMetric(cpuPerRSA.Seconds()*1000, "rsa-ms/op")
		if run.idle >= 0 {
			b.ReportMetric(run.idle, "machine-idle")
		}
		b.ReportMetric(float64(run.tenths[tenths-1])/float64(max(run.tenths[0], 1)), "last/first-tenth")
		b.ReportMetric(float64(run.duplicates), "duplicates")
		b.ReportMetric(float64(run.lost), "lost")
		b.ReportMetric(float64(run.recvBytes)/float64(run.sent), "recv-B/msg")
		b.ReportMetric(float64(run.sendBytes)/float64(run.sent), "send-B/msg")
		b.ReportMetric(float64(run.sendRSS)/1024, "sender-RSS-MiB")
		b.ReportMetric(float64(run.recvRSS)/1024, "receiver-RSS-MiB")
	}
}

// rsaMeasure is RSA-2048 signing on every core for a while.
type rsaMeasure struct {
	perSecond float64       // signatures per second, all cores together
	cpuPerOp  time.Duration // CPU time per signature
}

func rsaRate(b *testing.B, key *rsa.PrivateKey, d time.Duration) rsaMeasure {
	digest := sha256.Sum256([]byte("vienreiz"))
	var ops atomic.Int64
	var wg sync.WaitGroup
	start, cpu0 := time.Now(), cpuTime()
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for time.Since(start) < d {
				if _, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, digest[:]); err != nil {
					b.Error(err)
					return
				}
				ops.Add(1)
			}
		})
	}
	wg.Wait()
	n := ops.Load()
	return rsaMeasure{perSecond: float64(n) / time.Since(start).Seconds(), cpuPerOp: (cpuTime() - cpu0) / time.Duration(max(n, 1))}
}

// sustainedRun is what the two processes report.
type sustainedRun struct {
	sent, errors, retried int
	elapsed               time.Duration
	p50, p99, max         time.Duration
	tenths                [tenths]int
	duplicates, lost      int
	cpu                   time.Duration // user + system of both processes
	sendCPU, recvCPU      cpuUse        // each process's share
	idle                  float64       // share of the machine's CPU time left idle while the sender ran (-1: unknown)
	sendBytes, recvBytes  int64         // SQLite files after the run
	sendRSS, recvRSS      int64         // VmHWM in KiB
}

func (r sustainedRun) rate() float64 { return float64(r.sent) / r.elapsed.Seconds() }

// runSustained starts the receiver process, then the sender process, and
// collects both reports.
func runSustained(b *testing.B, dir string, duration time.Duration, senders int) sustainedRun {
	recvDir, sendDir := filepath.Join(dir, fmt.Sprintf("recv-%d", time.Now().UnixNano())), filepath.Join(dir, fmt.Sprintf("send-%d", time.Now().UnixNano()))
	recv := sustainedChild(b, "receiver", dir, recvDir, "")
	recvOut := bufio.NewScanner(recv.stdout)
	if !recvOut.Scan() || !strings.HasPrefix(recvOut.Text(), "LISTEN ") {
		b.Fatalf("receiver did not start: %q", recvOut.Text())
	}
	stat0 := readCPUStat()
	send := sustainedChild(b, "sender", dir, sendDir, strings.TrimPrefix(recvOut.Text(), "LISTEN "),
		envSustainedDuration+"="+duration.String(), envSustainedSenders+"="+strconv.Itoa(senders))
	sendLines, _ := io.ReadAll(send.stdout)
	if err := send.cmd.Wait(); err != nil {
		b.Fatalf("sender process: %v\n%s", err, sendLines)
	}
	stat1 := readCPUStat()
	recv.stdin.Close()
	var recvLines []string
	for recvOut.Scan() {
		recvLines = append(recvLines, recvOut.Text())
	}
	if err := recv.cmd.Wait(); err != nil {
		b.Fatalf("receiver process: %v\n%s", err, strings.Join(recvLines, "\n"))
	}
	sr, rr := parseReport(string(sendLines)), parseReport(strings.Join(recvLines, "\n"))
	run := sustainedRun{
		sent: sr.int("SENT"), errors: sr.int("ERRORS"), retried: sr.int("RETRIED"),
		elapsed: time.Duration(sr.int("ELAPSED_NS")),
		p50:     time.Duration(sr.int("P50_NS")), p99: time.Duration(sr.int("P99_NS")), max: time.Duration(sr.int("MAX_NS")),
		duplicates: rr.int("DUPLICATES"),
		sendCPU:    processCPU(send.cmd), recvCPU: processCPU(recv.cmd),
		sendBytes: int64(sr.int("STORE_BYTES")), recvBytes: int64(rr.int("STORE_BYTES")),
		sendRSS: int64(sr.int("VMHWM")), recvRSS: int64(rr.int("VMHWM")),
	}
	run.cpu = run.sendCPU.total() + run.recvCPU.total()
	run.idle = stat1.idleSince(stat0)
	for i, f := range strings.Fields(sr["TENTHS"]) {
		if i < tenths {
			run.tenths[i], _ = strconv.Atoi(f)
		}
	}
	// Every acknowledged message must have been delivered once.
	if delivered := rr.int("DELIVERED"); delivered < run.sent {
		run.lost = run.sent - delivered
	}
	if run.sent == 0 || run.elapsed <= 0 {
		b.Fatalf("no messages sent:\n%s", sendLines)
	}
	return run
}

// cpuStat is the machine's CPU time so far from /proc/stat, in clock ticks.
type cpuStat struct{ idle, total int64 }

// readCPUStat reads the first line of /proc/stat; zero where there is none.
func readCPUStat() cpuStat {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return cpuStat{}
	}
	line, _, _ := strings.Cut(string(b), "\n")
	var st cpuStat
	for i, f := range strings.Fields(line)[1:] {
		n, _ := strconv.ParseInt(f, 10, 64)
		if i < 8 { // user nice system idle iowait irq softirq steal; guest time is in user
			st.total += n
		}
		if i == 3 || i == 4 {
			st.idle += n
		}
	}
	return st
}

// idleSince is the share of CPU time spent idle since before (-1: unknown).
func (st cpuStat) idleSince(before cpuStat) float64 {
	if st.total <= before.total {
		return -1
	}
	return float64(st.idle-before.idle) / float64(st.total-before.total)
}

// report reads "KEY value" lines.
type report map[string]string

func parseReport(out string) report {
	r := report{}
	for _, l := range strings.Split(out, "\n") {
		if k, v, ok := strings.Cut(l, " "); ok {
			r[k] = v
		}
	}
	return r
}

func (r report) int(key string) int {
	n, _ := strconv.Atoi(r[key])
	return n
}

// cpuUse is the CPU time of a process, in user space and in the kernel.
type cpuUse struct{ user, sys time.Duration }

func (c cpuUse) total() time.Duration { return c.user + c.sys }

// processCPU is the CPU time of an ended child process.
func processCPU(cmd *exec.Cmd) cpuUse {
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		return cpuUse{user: time.Duration(ru.Utime.Nano()), sys: time.Duration(ru.Stime.Nano())}
	}
	return cpuUse{}
}

type sustainedProc struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout io.Reader
}

func sustainedChild(b *testing.B, role, dir, workDir, url string, env ...string) sustainedProc {
	env = append([]string{envSustainedChild + "=" + role, "VIENREIZ_LARGE_DIR=" + dir,
		"VIENREIZ_SUSTAINED_WORK=" + workDir, "VIENREIZ_LARGE_URL=" + url}, env...)
	p := testproc.Start(b, "TestSustainedChild", 0, env...)
	return sustainedProc{cmd: p.Cmd, stdin: p.Stdin, stdout: p.Stdout}
}

// recordUntilEnd starts a recording (a CPU profile, an execution trace)
// into the file path, and stops it when the test ends.
func recordUntilEnd(t *testing.T, path string, start func(io.Writer) error, stop func()) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	if err := start(f); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop) // runs before the file's Close
}

// TestSustainedChild is the body of the sender and receiver processes of
// BenchmarkSustained; it does nothing on its own.
func TestSustainedChild(t *testing.T) {
	role := os.Getenv(envSustainedChild)
	if role == "" {
		t.Skip("child process of BenchmarkSustained")
	}
	gcgoal.Set(gcgoal.Server) // as the server does
	dir, work := os.Getenv("VIENREIZ_LARGE_DIR"), os.Getenv("VIENREIZ_SUSTAINED_WORK")
	if err := os.MkdirAll(work, 0o700); err != nil {
		t.Fatal(err)
	}
	if prof := os.Getenv(envSustainedProfile); prof != "" {
		recordUntilEnd(t, filepath.Join(prof, role+".cpu"), pprof.StartCPUProfile, pprof.StopCPUProfile)
	}
	if tr := os.Getenv(envSustainedTrace); tr != "" {
		recordUntilEnd(t, filepath.Join(tr, role+".trace"), trace.Start, trace.Stop)
	}
	lv, de := readIdentity(t, filepath.Join(dir, "lv")), readIdentity(t, filepath.Join(dir, "de"))
	ca := readCerts(t, filepath.Join(dir, "ca"))
	trust := keys.NewTrustStore(ca[0])
	trust.AddIntermediate(ca[1])
	pm := testPMode()
	pm.Reliability.ReceiptTimeout = 30 * time.Second
	parties := map[string]*pmode.Party{
		"lv": {Name: "lv", IDs: []pmode.PartyID{{Value: "AP_LV_01", Type: as4.PartyIDTypeOOTS}}, Cert: lv.Cert},
		"de": {Name: "de", IDs: []pmode.PartyID{{Value: "AP_DE_01", Type: as4.PartyIDTypeOOTS}}, Cert: de.Cert,
			Endpoints: []string{os.Getenv("VIENREIZ_LARGE_URL")}},
	}
	dbPath := filepath.Join(work, "as4.db")
	store, err := sqlitestore.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	switch role {
	case "receiver":
		sustainedReceiver(t, &pmode.Config{Self: "de", Parties: parties, PModes: []*pmode.PMode{pm}}, de, trust, store, work)
	case "sender":
		sustainedSender(t, &pmode.Config{Self: "lv", Parties: parties, PModes: []*pmode.PMode{pm}}, lv, trust, store, work)
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	var size int64
	for _, p := range []string{dbPath, dbPath + "-wal"} {
		if fi, err := os.Stat(p); err == nil {
			size += fi.Size()
		}
	}
	fmt.Printf("STORE_BYTES %d\n", size)
	printVmHWM(t)
}

// sustainedReceiver serves until standard input closes, then reports how
// many messages it delivered and how many of them were duplicates. It
// counts deliveries by a 64-bit hash of the MessageId (a collision among
// a million is about 3 in 10⁸): keyed by the MessageIds themselves, its
// ledger of 200,000 messages took 20 MB, which the receiver's RSS counted.
func sustainedReceiver(t *testing.T, cfg *pmode.Config, id keys.Identity, trust *keys.TrustStore, store *sqlitestore.Store, work string) {
	var mu sync.Mutex
	seen := map[uint64]uint32{}
	r := &as4.Receiver{
		Config: cfg, Identity: id, Trust: trust, Security: as4.WSS(), Duplicates: store, SpoolDir: work, Logger: quiet(),
		Deliver: func(ctx context.Context, d *as4.Delivery) error {
			for _, p := range d.Payloads {
				rc, err := p.Open()
				if err != nil {
					return err
				}
				_, err = io.Copy(io.Discard, rc)
				rc.Close()
				if err != nil {
					return err
				}
			}
			h := fnv.New64a()
			h.Write([]byte(d.Message.MessageID))
			mu.Lock()
			seen[h.Sum64()]++
			mu.Unlock()
			return nil
		},
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := as4.NewServer("", r, nil)
	go srv.Serve(l)
	fmt.Printf("LISTEN http://%s/as4\n", l.Addr())
	io.Copy(io.Discard, os.Stdin)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	dups := 0
	for _, n := range seen {
		dups += int(n) - 1
	}
	fmt.Printf("DELIVERED %d\nDUPLICATES %d\n", len(seen), dups)
}

// sustainedSender runs the senders for the configured duration and
// reports the count, latency percentiles and throughput per tenth.
func sustainedSender(t *testing.T, cfg *pmode.Config, id keys.Identity, trust *keys.TrustStore, store *sqlitestore.Store, work string) {
	duration, err := time.ParseDuration(os.Getenv(envSustainedDuration))
	if err != nil {
		t.Fatal(err)
	}
	senders, err := strconv.Atoi(os.Getenv(envSustainedSenders))
	if err != nil {
		t.Fatal(err)
	}
	s := &as4.Sender{
		Config: cfg, Identity: id, Trust: trust, Security: as4.WSS(), Outbox: store, Dir: work,
		Client: as4.NewHTTPClient(nil), Logger: quiet(),
	}
	query := []byte(strings.Repeat("<evidence/>", 93)) // 1 KiB
	var (
		mu        sync.Mutex
		latencies []time.Duration
		counts    [tenths]int
		errs      int
		retried   int
		wg        sync.WaitGroup
	)
	start := time.Now()
	for range senders {
		wg.Go(func() {
			for time.Since(start) < duration {
				t0 := time.Now()
				res, err := s.Send(context.Background(), querySubmission(payload("q@x", as4.MimeEbRS, query)))
				lat := time.Since(t0)
				mu.Lock()
				switch {
				case err != nil:
					errs++
					if errs < 5 {
						fmt.Fprintln(os.Stderr, "send:", err)
					}
				default:
					latencies = append(latencies, lat)
					counts[min(int(time.Since(start)*tenths/duration), tenths-1)]++
					if res.Attempts > 1 {
						retried++
					}
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(latencies)
	pct := func(p float64) time.Duration {
		if len(latencies) == 0 {
			return 0
		}
		return latencies[min(int(float64(len(latencies))*p), len(latencies)-1)]
	}
	fmt.Printf("SENT %d\nERRORS %d\nRETRIED %d\nELAPSED_NS %d\nP50_NS %d\nP99_NS %d\nMAX_NS %d\n",
		len(latencies), errs, retried, elapsed, pct(0.50), pct(0.99), pct(1))
	fmt.Printf("TENTHS %s\n", strings.Trim(fmt.Sprint(counts), "[]"))
}

func printVmHWM(t *testing.T) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			fmt.Printf("VMHWM %s\n", strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
		}
	}
}
