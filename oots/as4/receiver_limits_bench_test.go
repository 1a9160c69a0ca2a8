package as4_test

import (
	"bufio"
	"context"
	"fmt"
	"github.com/vienreiz/vienreiz/internal/testproc"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/as4/keys"
	"github.com/vienreiz/vienreiz/oots/as4/pmode"
)

// BenchmarkReceiverStrangers runs a receiver in its own process while 8
// clients upload 1 GiB each at once, and reports the receiver's peak RSS
// and the bytes it wrote (its spool), against a baseline receiver process
// that took one legitimate message in the same run (issue 12 item 2):
//   - unknown-sender: strangers with an unknown eb:From;
//   - replayed-envelope: strangers replaying a known party's signed
//     envelope in front of their own 1 GiB, bounded by the P-Mode's size
//     (the default, 32 MiB) and by 4 uploads per party.
func BenchmarkReceiverStrangers(b *testing.B) {
	if _, err := os.Stat("/proc/self/io"); err != nil {
		b.Skip("needs /proc/self/io and /proc/self/status")
	}
	const uploads, size = 8, 1 << 30
	dir := b.TempDir()
	w := newWorld(b, 0)
	writeIdentity(b, filepath.Join(dir, "lv"), w.lvID)
	writeIdentity(b, filepath.Join(dir, "de"), w.deID)
	writeCerts(b, filepath.Join(dir, "ca"), w.pki.Root, w.pki.Issuer)
	unknown := userMessage("stranger@x", "ev@x", false)
	unknown.From.IDs[0].Value = "AP_XX_99"
	for _, bc := range []struct {
		name string
		env  []byte
	}{
		{"unknown-sender", w.signedEnvelope(unknown, w.lvID)},
		{"replayed-envelope", w.signedEnvelope(userMessage("replayed@x", "ev@x", false), w.lvID)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var base, attack guardStats
			var offered int64
			for b.Loop() {
				base = runGuard(b, dir, func(url string) {
					w.sendCfg.Parties["de"].Endpoints = []string{url}
					if _, err := w.memSender().Send(context.Background(), querySubmission(payload("q@lv", as4.MimeEbRS, []byte("<q/>")))); err != nil {
						b.Fatal(err)
					}
				})
				attack = runGuard(b, dir, func(url string) {
					var wg sync.WaitGroup
					var mu sync.Mutex
					for range uploads {
						wg.Go(func() {
							body := &countingReader{r: uploadBody(bc.env, "ev@x", filler{}, size)}
							req, _ := http.NewRequest(http.MethodPost, url, body)
							req.Header.Set("Content-Type", as4.MultipartContentType("up"))
							if resp, err := http.DefaultClient.Do(req); err == nil {
								io.Copy(io.Discard, resp.Body)
								resp.Body.Close()
							}
							mu.Lock()
							offered += body.n.Load()
							mu.Unlock()
						})
					}
					wg.Wait()
				})
			}
			b.ReportMetric(float64(attack.hwmKiB)/1024, "attack-peak-RSS-MiB")
			b.ReportMetric(float64(attack.hwmKiB)/float64(base.hwmKiB), "RSS-ratio-to-baseline")
			b.ReportMetric(float64(attack.written)/(1<<20), "attack-written-MiB")
			b.ReportMetric(float64(attack.written)/float64(uploads*size), "written-per-byte-offered")
			b.ReportMetric(float64(offered)/float64(b.N)/(1<<20), "client-sent-MiB")
		})
	}
}

// guardStats is what a receiver process reports when it ends.
type guardStats struct {
	hwmKiB  int64 // VmHWM
	written int64 // wchar: bytes written (spool files, answers)
}

// runGuard starts a receiver process, runs load against its URL, ends it
// and returns its figures.
func runGuard(b *testing.B, dir string, load func(url string)) guardStats {
	child := testproc.Start(b, "TestGuardChild", 30*time.Minute, "VIENREIZ_GUARD_CHILD=1", "VIENREIZ_LARGE_DIR="+dir)
	cmd, stdin, stdout := child.Cmd, child.Stdin, child.Stdout
	defer cmd.Process.Kill()
	out := bufio.NewScanner(stdout)
	if !out.Scan() || !strings.HasPrefix(out.Text(), "LISTEN ") {
		b.Fatalf("receiver did not start: %q", out.Text())
	}
	load(strings.TrimPrefix(out.Text(), "LISTEN "))
	stdin.Close()
	var s guardStats
	for out.Scan() {
		if v, ok := strings.CutPrefix(out.Text(), "VMHWM "); ok {
			s.hwmKiB, _ = strconv.ParseInt(v, 10, 64)
		}
		if v, ok := strings.CutPrefix(out.Text(), "WCHAR "); ok {
			s.written, _ = strconv.ParseInt(v, 10, 64)
		}
	}
	if err := cmd.Wait(); err != nil || s.hwmKiB == 0 {
		b.Fatalf("receiver process: %v (VmHWM %d)", err, s.hwmKiB)
	}
	return s
}

// TestGuardChild is the receiver process of BenchmarkReceiverStrangers; it
// does nothing on its own. It serves until its standard input closes,
// then prints its peak RSS and the bytes it wrote.
func TestGuardChild(t *testing.T) {
	if os.Getenv("VIENREIZ_GUARD_CHILD") == "" {
		t.Skip("child process of BenchmarkReceiverStrangers")
	}
	dir := os.Getenv("VIENREIZ_LARGE_DIR")
	lv, de := readIdentity(t, filepath.Join(dir, "lv")), readIdentity(t, filepath.Join(dir, "de"))
	ca := readCerts(t, filepath.Join(dir, "ca"))
	trust := keys.NewTrustStore(ca[0])
	trust.AddIntermediate(ca[1])
	parties := map[string]*pmode.Party{
		"lv": {Name: "lv", IDs: []pmode.PartyID{{Value: "AP_LV_01", Type: as4.PartyIDTypeOOTS}}, Cert: lv.Cert},
		"de": {Name: "de", IDs: []pmode.PartyID{{Value: "AP_DE_01", Type: as4.PartyIDTypeOOTS}}, Cert: de.Cert},
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &as4.Receiver{
		Config:   &pmode.Config{Self: "de", Parties: parties, PModes: []*pmode.PMode{testPMode()}},
		Identity: de, Trust: trust, Security: as4.WSS(), Duplicates: as4.NewMemStore(), SpoolDir: t.TempDir(), Logger: quiet(),
		Deliver: func(context.Context, *as4.Delivery) error { return nil },
	}
	srv := as4.NewServer("", r, nil)
	go srv.Serve(l)
	fmt.Printf("LISTEN http://%s/as4\n", l.Addr())
	io.Copy(io.Discard, os.Stdin)
	srv.Close()
	for file, key := range map[string]string{"/proc/self/status": "VmHWM:", "/proc/self/io": "wchar:"} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			if v, ok := strings.CutPrefix(line, key); ok {
				fmt.Printf("%s %s\n", strings.ToUpper(strings.TrimSuffix(key, ":")), strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			}
		}
	}
}
