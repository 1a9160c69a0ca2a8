package as4_test

import (
	"bufio"
	"context"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"github.com/vienreiz/vienreiz/internal/testproc"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/as4/keys"
	"github.com/vienreiz/vienreiz/oots/as4/pmode"
)

// largeSize is the attachment size of the large test: 1 GiB, or
// VIENREIZ_LARGE_SIZE bytes.
func largeSize() int64 {
	if s, err := strconv.ParseInt(os.Getenv("VIENREIZ_LARGE_SIZE"), 10, 64); err == nil && s > 0 {
		return s
	}
	return 1 << 30
}

// largeContent is an incompressible deterministic stream of n bytes (the
// worst case: gzip cannot shrink it).
func largeContent(n int64) io.Reader {
	return io.LimitReader(rand.NewChaCha8([32]byte{'v', 'i', 'e', 'n', 'r', 'e', 'i', 'z'}), n)
}

// TestLargeAttachmentStreams sends a 1 GiB attachment (signed, compressed,
// encrypted) from a sender process to a receiver process over loopback and
// checks that each process's peak RSS (VmHWM) stays under 64 MiB and the
// content arrives intact. Gated: VIENREIZ_LARGE=1 (needs ~6 GiB of temp
// space and a few minutes).
func TestLargeAttachmentStreams(t *testing.T) {
	if os.Getenv("VIENREIZ_LARGE") != "1" {
		t.Skip("set VIENREIZ_LARGE=1 to stream a 1 GiB attachment between two processes (minutes, ~6 GiB temp space)")
	}
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("needs /proc/self/status for VmHWM")
	}
	size := largeSize()
	dir := t.TempDir()
	w := newWorld(t, 0)
	writeIdentity(t, filepath.Join(dir, "lv"), w.lvID)
	writeIdentity(t, filepath.Join(dir, "de"), w.deID)
	writeCerts(t, filepath.Join(dir, "ca"), w.pki.Root, w.pki.Issuer)

	h := sha256.New()
	if _, err := io.Copy(h, largeContent(size)); err != nil {
		t.Fatal(err)
	}
	want := hex.EncodeToString(h.Sum(nil))

	start := time.Now()
	recv := child(t, "receiver", dir, "")
	out := bufio.NewScanner(recv.stdout)
	if !out.Scan() || !strings.HasPrefix(out.Text(), "LISTEN ") {
		t.Fatalf("receiver did not start: %q", out.Text())
	}
	url := strings.TrimPrefix(out.Text(), "LISTEN ")
	send := child(t, "sender", dir, url)
	sendOut, _ := io.ReadAll(send.stdout)
	if err := send.cmd.Wait(); err != nil {
		t.Fatalf("sender: %v\n%s", err, sendOut)
	}
	var recvLines []string
	for out.Scan() {
		recvLines = append(recvLines, out.Text())
	}
	if err := recv.cmd.Wait(); err != nil {
		t.Fatalf("receiver: %v\n%s", err, strings.Join(recvLines, "\n"))
	}
	elapsed := time.Since(start)
	recvOut := strings.Join(recvLines, "\n")
	if !strings.Contains(recvOut, fmt.Sprintf("DELIVERED %d %s", size, want)) {
		t.Fatalf("receiver did not deliver the content intact:\n%s", recvOut)
	}
	for _, side := range []struct{ name, out string }{{"sender", string(sendOut)}, {"receiver", recvOut}} {
		kb := vmHWM(side.out)
		t.Logf("%s peak RSS (VmHWM): %.1f MiB for %d MiB in %v (%.0f MiB/s)", side.name, float64(kb)/1024, size>>20, elapsed.Round(time.Second), float64(size>>20)/elapsed.Seconds())
		if kb <= 0 || kb >= 64<<10 {
			t.Errorf("%s peak RSS %d KiB, want < 64 MiB\n%s", side.name, kb, side.out)
		}
	}
}

func vmHWM(out string) int64 {
	for _, l := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(l, "VMHWM "); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	return -1
}

type childProc struct {
	cmd    *exec.Cmd
	stdout io.Reader
}

func child(t *testing.T, role, dir, url string) childProc {
	p := testproc.Start(t, "TestLargeChild", 30*time.Minute, "VIENREIZ_LARGE_CHILD="+role, "VIENREIZ_LARGE_DIR="+dir, "VIENREIZ_LARGE_URL="+url)
	return childProc{cmd: p.Cmd, stdout: p.Stdout}
}

// TestLargeChild is the body of the sender and receiver processes of
// TestLargeAttachmentStreams; it does nothing on its own.
func TestLargeChild(t *testing.T) {
	role := os.Getenv("VIENREIZ_LARGE_CHILD")
	if role == "" {
		t.Skip("child process of TestLargeAttachmentStreams")
	}
	dir := os.Getenv("VIENREIZ_LARGE_DIR")
	lv, de := readIdentity(t, filepath.Join(dir, "lv")), readIdentity(t, filepath.Join(dir, "de"))
	ca := readCerts(t, filepath.Join(dir, "ca"))
	trust := keys.NewTrustStore(ca[0])
	trust.AddIntermediate(ca[1])
	pm := testPMode()
	pm.Reliability = pmode.Reliability{RetryCount: 0, ReceiptTimeout: 30 * time.Minute, DuplicateDetection: true}
	parties := map[string]*pmode.Party{
		"lv": {Name: "lv", IDs: []pmode.PartyID{{Value: "AP_LV_01", Type: as4.PartyIDTypeOOTS}}, Cert: lv.Cert},
		"de": {Name: "de", IDs: []pmode.PartyID{{Value: "AP_DE_01", Type: as4.PartyIDTypeOOTS}}, Cert: de.Cert,
			Endpoints: []string{os.Getenv("VIENREIZ_LARGE_URL")}},
	}
	spool := t.TempDir()
	switch role {
	case "receiver":
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan string, 1)
		r := &as4.Receiver{
			Config:   &pmode.Config{Self: "de", Parties: parties, PModes: []*pmode.PMode{pm}},
			Identity: de, Trust: trust, Security: as4.WSS(), Duplicates: as4.NewMemStore(), SpoolDir: spool, Logger: quiet(),
			Deliver: func(ctx context.Context, d *as4.Delivery) error {
				rc, err := d.Payloads[0].Open()
				if err != nil {
					return err
				}
				defer rc.Close()
				h := sha256.New()
				n, err := io.Copy(h, rc)
				if err != nil {
					return err
				}
				done <- fmt.Sprintf("DELIVERED %d %s", n, hex.EncodeToString(h.Sum(nil)))
				return nil
			},
		}
		srv := as4.NewServer("", r, nil)
		go srv.Serve(l)
		fmt.Printf("LISTEN http://%s/as4\n", l.Addr())
		msg := <-done
		// Shutdown waits until the receipt is written and the connection idle.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Fatal(err)
		}
		fmt.Println(msg)
	case "sender":
		s := &as4.Sender{
			Config:   &pmode.Config{Self: "lv", Parties: parties, PModes: []*pmode.PMode{pm}},
			Identity: lv, Trust: trust, Security: as4.WSS(), Outbox: as4.NewMemStore(), Dir: spool,
			Client: &http.Client{Transport: &http.Transport{}}, Logger: quiet(),
		}
		size := largeSize()
		res, err := s.Send(context.Background(), querySubmission(as4.Payload{
			ContentID: "evidence@lv", MimeType: "application/octet-stream",
			Open: func() (io.ReadCloser, error) { return io.NopCloser(largeContent(size)), nil },
		}))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("SENT %s\n", res.MessageID)
	}
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

func writeIdentity(t testing.TB, path string, id keys.Identity) {
	der, err := x509.MarshalPKCS8PrivateKey(id.Key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path+".key", der, 0o600); err != nil {
		t.Fatal(err)
	}
	writeCerts(t, path+".crt", id.Cert)
}

func writeCerts(t testing.TB, path string, certs ...*x509.Certificate) {
	var all []byte
	for _, c := range certs {
		all = append(all, c.Raw...)
	}
	if err := os.WriteFile(path, all, 0o600); err != nil {
		t.Fatal(err)
	}
}

func readIdentity(t *testing.T, path string) keys.Identity {
	der, err := os.ReadFile(path + ".key")
	if err != nil {
		t.Fatal(err)
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		t.Fatal(err)
	}
	return keys.Identity{Key: k.(*rsa.PrivateKey), Cert: readCerts(t, path+".crt")[0]}
}

func readCerts(t *testing.T, path string) []*x509.Certificate {
	der, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	certs, err := x509.ParseCertificates(der)
	if err != nil {
		t.Fatal(err)
	}
	return certs
}
