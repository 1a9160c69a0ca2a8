package client_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"github.com/vienreiz/vienreiz/internal/gcgoal"
	"github.com/vienreiz/vienreiz/internal/testproc"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/as4/pmode/demo"
	"github.com/vienreiz/vienreiz/oots/demonet"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// Environment of BenchmarkEvidenceEndToEnd.
const (
	envE2ESize  = "VIENREIZ_E2E_SIZE" // document size in bytes (default 256 MiB; the figure: 1073741824)
	envE2EChild = "VIENREIZ_E2E_CHILD"
	envE2EDir   = "VIENREIZ_E2E_DIR"
	// VIENREIZ_E2E_PROFILE names a folder where the child processes write
	// service.cpu and as4-receiver.cpu (go tool pprof).
	envE2EProfile = "VIENREIZ_E2E_PROFILE"
)

// BenchmarkEvidenceEndToEnd is issue 16 item 1's goal: one large evidence
// document from the provider's AS4 through the exchange service to a file
// saved by the client SDK (client.SaveEvidence), against the AS4 layer
// alone in the same run.
//
//   - end to end: a service process (exchange.Start with the embedded demo
//     member state, SQLite, evidence encrypted at rest) whose demo provider
//     answers with the document (its few-KB demo attachment replaced, as it
//     is queued, by the stream); this process is the citizen's client: it
//     approves the preview and, once the request is delivered, saves the
//     document. Timed from the approval to the saved, checked file.
//   - AS4 layer: the same document from a Sender in this process to a
//     Receiver process that hashes it, with the demo answer P-Mode (signed,
//     compressed, encrypted, receipt).
//
// The AS4 layer runs before and after the end-to-end run; its time is the
// mean of both. It reports e2e-of-as4 (throughput ratio, goal ≥ 0.5) and the peak RSS of
// the service process (provider, requester, store and API together) and of
// this client process (goal < 64 MiB each).
func BenchmarkEvidenceEndToEnd(b *testing.B) {
	size := int64(256 << 20)
	if n, err := strconv.ParseInt(os.Getenv(envE2ESize), 10, 64); err == nil && n > 0 {
		size = n
	}
	h := sha256.New()
	if _, err := io.Copy(h, largeDocument(size)); err != nil {
		b.Fatal(err)
	}
	want := hex.EncodeToString(h.Sum(nil))
	for b.Loop() {
		// The AS4 layer runs before and after, so that load from elsewhere
		// on a shared machine weighs on both sides of the ratio alike.
		before, receiverKiB := runAS4Layer(b, size, want)
		e2e, serviceKiB, clientKiB := runEndToEnd(b, size, want)
		after, _ := runAS4Layer(b, size, want)
		layer := (before + after) / 2
		load, _ := os.ReadFile("/proc/loadavg")
		b.Logf("%d MiB: end to end %v (%.1f MiB/s), AS4 layer %v and %v (%.1f MiB/s): %.2f×; peak RSS service %.1f MiB, client %.1f MiB, AS4 receiver %.1f MiB; load average %s",
			size>>20, e2e.Round(time.Millisecond), mibps(size, e2e), before.Round(time.Millisecond), after.Round(time.Millisecond), mibps(size, layer), layer.Seconds()/e2e.Seconds(),
			float64(serviceKiB)/1024, float64(clientKiB)/1024, float64(receiverKiB)/1024, strings.TrimSpace(string(load)))
		b.ReportMetric(mibps(size, e2e), "e2e-MiB/s")
		b.ReportMetric(mibps(size, layer), "as4-MiB/s")
		b.ReportMetric(layer.Seconds()/e2e.Seconds(), "e2e-of-as4")
		b.ReportMetric(float64(serviceKiB)/1024, "service-RSS-MiB")
		b.ReportMetric(float64(clientKiB)/1024, "client-RSS-MiB")
		if serviceKiB >= 64<<10 || clientKiB >= 64<<10 {
			b.Errorf("peak RSS: service %d KiB, client %d KiB; want < 64 MiB each", serviceKiB, clientKiB)
		}
		b.ReportMetric(float64(receiverKiB)/1024, "as4-receiver-RSS-MiB")
	}
}

func mibps(size int64, d time.Duration) float64 { return float64(size) / (1 << 20) / d.Seconds() }

// largeDocument is an incompressible deterministic stream of n bytes.
func largeDocument(n int64) io.Reader {
	return io.LimitReader(rand.NewChaCha8([32]byte{'e', '2', 'e'}), n)
}

// runEndToEnd takes a request of a service process through to the saved
// file and returns the time from approval to saved file and the peak RSS
// of the service process and of this one (KiB).
func runEndToEnd(b *testing.B, size int64, want string) (time.Duration, int64, int64) {
	dir := b.TempDir()
	// This process sent the AS4 layer's document before: start its peak
	// RSS afresh (Linux ≥ 4.0), so that it is the client's.
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	svc, url := startE2EChild(b, "service", dir, strconv.FormatInt(size, 10))
	ctx := context.Background()
	c := client.New(url).WithToken(janis)
	r := createBirthRequest(b, c)
	if _, err := c.GiveExplicitRequest(ctx, r.ID); err != nil {
		b.Fatal(err)
	}
	waitStateWithin(b, c, r.ID, "preview_required", time.Minute)
	if _, err := c.OpenPreview(ctx, r.ID); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if _, err := c.DecidePreview(ctx, r.ID, "approve"); err != nil {
		b.Fatal(err)
	}
	r = waitStateWithin(b, c, r.ID, "delivered", 30*time.Minute)
	delivered := time.Since(start)
	path := filepath.Join(dir, "saved", "evidence")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		b.Fatal(err)
	}
	saved, err := c.SaveEvidence(ctx, r.ID, r.Evidence[0].Index, path, nil)
	if err != nil {
		b.Fatal(err)
	}
	elapsed := time.Since(start)
	if saved.Size != size || saved.SHA256 != want {
		b.Fatalf("saved %d bytes with sha256 %s, want %d with %s", saved.Size, saved.SHA256, size, want)
	}
	b.Logf("end to end: delivered %v after the approval, saved %v later", delivered.Round(time.Millisecond), (elapsed - delivered).Round(time.Millisecond))
	clientKiB := vmHWM(b)
	serviceKiB := svc.finish(b)["VMHWM"]
	return elapsed, serviceKiB, clientKiB
}

// runAS4Layer sends the document from a Sender here to a Receiver process
// and returns the time Send took and the receiver's peak RSS (KiB).
func runAS4Layer(b *testing.B, size int64, want string) (time.Duration, int64) {
	dir := b.TempDir()
	setup, err := demo.New(demo.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if err := setup.WriteFiles(dir, "bench"); err != nil {
		b.Fatal(err)
	}
	recv, url := startE2EChild(b, "as4-receiver", filepath.Join(dir, setup.Requester.Config.Self), "")
	side := setup.Provider
	side.Config.Parties[setup.Requester.Config.Self].Endpoints = []string{url}
	for _, pm := range side.Config.PModes {
		pm.Reliability.ReceiptTimeout = 30 * time.Minute
	}
	s := &as4.Sender{
		Config: side.Config, Identity: side.Identity, Trust: side.Trust, Outbox: as4.NewMemStore(), Dir: b.TempDir(),
		Logger: slog.New(slog.DiscardHandler),
	}
	start := time.Now()
	_, err = s.Send(context.Background(), &as4.Submission{
		To: setup.Requester.Config.Self, Service: as4.OOTSService, Action: as4.ActionQueryResponse,
		Properties: []as4.Property{
			{Name: as4.PropOriginalSender, Type: "urn:cef.eu:names:identifier:EAS:9930", Value: "DE73524311"},
			{Name: as4.PropFinalRecipient, Type: "urn:cef.eu:names:identifier:EAS:0218", Value: "LV40003245752"},
		},
		Payloads: []as4.Payload{{ContentID: "evidence@demo", MimeType: "application/octet-stream",
			Open: func() (io.ReadCloser, error) { return io.NopCloser(largeDocument(size)), nil }}},
	})
	elapsed := time.Since(start)
	if err != nil {
		b.Fatal(err)
	}
	got := recv.finish(b)
	if got["DELIVERED"] != size || recv.out["SHA256"] != want {
		b.Fatalf("AS4 receiver got %d bytes with sha256 %s, want %d with %s", got["DELIVERED"], recv.out["SHA256"], size, want)
	}
	return elapsed, got["VMHWM"]
}

// e2eChild is a child process of the benchmark; it prints "URL <url>"
// when ready, serves until its standard input closes, then prints
// "KEY value" lines.
type e2eChild struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines *bufio.Scanner
	out   map[string]string
}

func startE2EChild(b *testing.B, role, dir, arg string) (*e2eChild, string) {
	p := testproc.Start(b, "TestEvidenceEndToEndChild", 0, envE2EChild+"="+role, envE2EDir+"="+dir, envE2ESize+"="+arg)
	ch := &e2eChild{cmd: p.Cmd, stdin: p.Stdin, lines: bufio.NewScanner(p.Stdout), out: map[string]string{}}
	if !ch.lines.Scan() || !strings.HasPrefix(ch.lines.Text(), "URL ") {
		b.Fatalf("%s process did not start: %q", role, ch.lines.Text())
	}
	return ch, strings.TrimPrefix(ch.lines.Text(), "URL ")
}

// finish ends the child and returns its numeric report lines.
func (ch *e2eChild) finish(b *testing.B) map[string]int64 {
	ch.stdin.Close()
	nums := map[string]int64{}
	for ch.lines.Scan() {
		if k, v, ok := strings.Cut(ch.lines.Text(), " "); ok {
			ch.out[k] = v
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				nums[k] = n
			}
		}
	}
	if err := ch.cmd.Wait(); err != nil {
		b.Fatalf("child process: %v", err)
	}
	return nums
}

// TestEvidenceEndToEndChild is the body of BenchmarkEvidenceEndToEnd's
// child processes; it does nothing on its own.
func TestEvidenceEndToEndChild(t *testing.T) {
	role, dir := os.Getenv(envE2EChild), os.Getenv(envE2EDir)
	if role == "" {
		t.Skip("child process of BenchmarkEvidenceEndToEnd")
	}
	if prof := os.Getenv(envE2EProfile); prof != "" {
		f, err := os.Create(filepath.Join(prof, role+".cpu"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			t.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	warnings := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	gcgoal.Set(gcgoal.Server) // both roles are servers, which set it so
	switch role {
	case "service":
		size, err := strconv.ParseInt(os.Getenv(envE2ESize), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		srv, err := exchange.Start(context.Background(), exchange.Config{
			Network: demonet.Embedded{ObserveSend: answerWithLargeDocument(size)}, DataDir: dir, Logger: warnings,
			Auth: exchange.BearerTokens{janis: exchange.DemoCitizen()}, EvidenceKey: bytes.Repeat([]byte{7}, 32),
		})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("URL %s\n", srv.URL())
		io.Copy(io.Discard, os.Stdin)
		if err := srv.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
	case "as4-receiver":
		side, err := demo.LoadSide(dir, "bench")
		if err != nil {
			t.Fatal(err)
		}
		r := &as4.Receiver{
			Config: side.Config, Identity: side.Identity, Trust: side.Trust, Duplicates: as4.NewMemStore(),
			SpoolDir: t.TempDir(), Logger: warnings,
			Deliver: func(ctx context.Context, d *as4.Delivery) error {
				rc, err := d.Payloads[0].Open()
				if err != nil {
					return err
				}
				defer rc.Close()
				h := sha256.New()
				n, err := io.Copy(h, rc)
				fmt.Printf("DELIVERED %d\nSHA256 %s\n", n, hex.EncodeToString(h.Sum(nil)))
				return err
			},
		}
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		srv := as4.NewServer("", r, nil)
		go srv.Serve(l)
		fmt.Printf("URL http://%s/as4\n", l.Addr())
		io.Copy(io.Discard, os.Stdin)
		srv.Close()
	}
	fmt.Printf("VMHWM %d\n", vmHWM(t))
}

// answerWithLargeDocument replaces the evidence attachment of the demo
// provider's answers, as the AS4 sender accepts them, with a stream of
// size bytes: the demo documents are a few KB.
func answerWithLargeDocument(size int64) func(*as4.Submission) {
	return func(sub *as4.Submission) {
		if sub.Action == as4.ActionQueryResponse && len(sub.Payloads) == 2 {
			sub.Payloads[1].Open = func() (io.ReadCloser, error) { return io.NopCloser(largeDocument(size)), nil }
		}
	}
}

// vmHWM is this process's peak RSS in KiB.
func vmHWM(tb testing.TB) int64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		tb.Skip("needs /proc/self/status for the peak RSS")
	}
	for _, l := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	tb.Fatal("no VmHWM in /proc/self/status")
	return 0
}
