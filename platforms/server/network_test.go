package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/identity/devidp"
	"github.com/vienreiz/vienreiz/internal/pgtest"
	"github.com/vienreiz/vienreiz/oots/as4/pmode/demo"
	"github.com/vienreiz/vienreiz/oots/network/networktest"
)

// networkPassword seals the keystores the test makes; the processes read
// it from VIENREIZ_TEST_KEY_PASSWORD (A) and a password file (B).
const networkPassword = "network-test-store-password"

// TestExchangeBetweenProcessesConfiguredByNetworkFiles runs our exchange
// service as two processes (one per access point, on one PostgreSQL),
// each configured by its network file (A1.toml, A2.toml: PKCS#12 key,
// password from the environment), and a separate member-state process
// configured by B.toml (JKS key, password from a file) that serves the
// demo evidence and directory. Every key, party, P-Mode and URL comes
// from the files. A citizen's request goes through explicit request,
// preview, approval and delivery; then A's primary access point is
// killed and a second request completes through the other. A1 fetches the
// preview itself (no return_base_url); A2 has the preview-redirect base
// URL, so on it the citizen's browser goes to B's preview space, decides
// there and comes back to A2 (real OOTS flow). The second request is
// given on A1 while B's primary access point does not answer, so A1 holds
// its send job when it is killed; A2 takes the job over within the job
// lease (10 s, kept alive by a heartbeat while a job runs) and sends it.
func TestExchangeBetweenProcessesConfiguredByNetworkFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	db := pgtest.Fresh(t)
	if db == "" {
		t.Skip("needs PostgreSQL: set " + pgtest.Env + " (CI does; scripts/postgres.sh prints one)")
	}
	tmp := t.TempDir()
	addrs := freeAddrs(t, 7)
	a1, a2, b1, b2 := addrs[0], addrs[1], addrs[2], addrs[3]
	a2API, bPreview, bDirectory := addrs[4], addrs[5], addrs[6]
	b1Proxy := startStallingProxy(t, b1) // A reaches B's primary through it
	s, err := demo.New(demo.Options{RequesterName: "LV", ProviderName: "DE",
		RequesterEndpoints: []string{"http://" + a1 + "/as4", "http://" + a2 + "/as4"},
		ProviderEndpoints:  []string{"http://" + b1Proxy.addr() + "/as4", "http://" + b2 + "/as4"}})
	if err != nil {
		t.Fatal(err)
	}
	dev, err := devidp.Start(context.Background(), devidp.Options{Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dev.Close(context.Background()) })
	idp := dev.Provider()
	aDir, bDir := filepath.Join(tmp, "A"), filepath.Join(tmp, "B")
	for dir, side := range map[string]demo.Side{aDir: s.Requester, bDir: s.Provider} {
		if err := networktest.WriteSide(dir, side, s.PKI, networkPassword); err != nil {
			t.Fatal(err)
		}
	}
	if err := networktest.WriteServerTLS(bDir, s.PKI, networkPassword); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(bDir, "password"), networkPassword+"\n")

	a := func(listenFirst bool) string {
		listen := [2]string{"", fmt.Sprintf("listen = %q", a2)}
		returnBase := fmt.Sprintf("return_base_url = %q", "http://"+a2API)
		if listenFirst {
			listen = [2]string{fmt.Sprintf("listen = %q", a1), ""}
			returnBase = ""
		}
		return fmt.Sprintf(`
[party]
name = "LV"
authority_id = "40003245752"
authority_name = "Test intermediary platform"

[[access_points]]
name = "a1"
url = "http://%s/as4"
%s
[access_points.identity]
file = "ap.p12"
alias = "ap"
password_env = "VIENREIZ_TEST_KEY_PASSWORD"

[[access_points]]
name = "a2"
url = "http://%s/as4"
%s
[access_points.identity]
file = "ap.p12"
password_env = "VIENREIZ_TEST_KEY_PASSWORD"

[trust]
files = ["oots-ca.pem"]

[pmodes]
file = "pmodes.json"
default_partner = "DE"

[directory]
url = "http://%s"

[preview]
ca_file = "oots-ca.pem"
%s

[identity]
issuer = %q
client_id = %q

[timeouts]
resend = "2s"
`, a1, listen[0], a2, listen[1], bDirectory, returnBase, idp.Issuer, idp.ClientID)
	}
	write(t, filepath.Join(aDir, "A1.toml"), a(true))
	write(t, filepath.Join(aDir, "A2.toml"), a(false))
	write(t, filepath.Join(bDir, "B.toml"), fmt.Sprintf(`
[party]
name = "DE"
authority_id = "DE-TEST-PROVIDER"

[[access_points]]
name = "b1"
url = "http://%[1]s/as4"
listen = "%[1]s"
[access_points.identity]
file = "ap.jks"
alias = "ap"
password_file = "password"

[[access_points]]
name = "b2"
url = "http://%[2]s/as4"
listen = "%[2]s"
[access_points.identity]
file = "ap.jks"
alias = "ap"
password_file = "password"

[trust]
files = ["oots-ca.pem"]

[pmodes]
file = "pmodes.json"

[directory]
listen = "%[3]s"

[preview]
url = "https://%[4]s/preview"
listen = "%[4]s"
[preview.tls]
file = "tls.p12"
password_file = "password"

[timeouts]
resend = "2s"
`, b1, b2, bDirectory, bPreview))
	t.Setenv("VIENREIZ_TEST_KEY_PASSWORD", networkPassword)

	ms := startProcess(t, "demo member state listening", "-demo-member-state", "-network", filepath.Join(bDir, "B.toml"), "-data-dir", filepath.Join(bDir, "state"))
	procs := []*serverProcess{
		startServer(t, "-network", filepath.Join(aDir, "A1.toml"), "-data-dir", filepath.Join(tmp, "a1"), "-database", db),
		startServer(t, "-network", filepath.Join(aDir, "A2.toml"), "-data-dir", filepath.Join(tmp, "a2"), "-database", db, "-listen", a2API),
	}
	for _, p := range procs {
		if strings.Contains(p.log(), "demo network") {
			t.Errorf("a process with a network file says it runs the demo:\n%s", p.log())
		}
	}
	ctx := context.Background()
	roots := x509.NewCertPool()
	roots.AddCert(s.PKI.Root)
	browser := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}}}
	create := func(c *client.Client) string {
		t.Helper()
		r, err := c.CreateRequest(ctx, api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"})
		if err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	// complete carries request id on (through base's client c) from its
	// explicit request to the evidence downloaded: on A1 the service shows
	// the preview, on A2 the citizen's browser goes to B's preview space.
	complete := func(c *client.Client, base, id string) {
		t.Helper()
		waiting := carryOn(t, c, id, "preview_required")
		if base == procs[0].url {
			if waiting.PreviewURL != "" {
				t.Errorf("A1 has no return_base_url but gives the preview URL %q", waiting.PreviewURL)
			}
			if _, err := c.OpenPreview(ctx, id); err != nil {
				t.Fatal(err)
			}
			if _, err := c.DecidePreview(ctx, id, "approve"); err != nil {
				t.Fatal(err)
			}
		} else {
			back := "http://" + a2API + "/open/requests/" + id
			if !strings.HasPrefix(waiting.PreviewURL, "https://"+bPreview+"/preview/") || !strings.HasSuffix(waiting.PreviewURL, "?returnurl="+url.QueryEscape(back)) {
				t.Fatalf("A2's preview URL %q: want B's preview space with returnurl %s", waiting.PreviewURL, back)
			}
			at, _, err := networktest.Browser(browser, waiting.PreviewURL, "LV/LV/01019012345", "approve")
			if err != nil || at != back {
				t.Fatalf("the browser ended at %q (%v), want back at %s", at, err, back)
			}
			if _, err := c.PreviewReturned(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
		got := carryOn(t, c, id, "delivered")
		if body := download(t, base, id); len(body) == 0 || len(got.Evidence) != 1 || int64(len(body)) != got.Evidence[0].Size {
			t.Errorf("request %s: %d bytes downloaded for %+v", id, len(body), got.Evidence)
		}
	}
	c1, c2 := client.New(procs[0].url).WithToken(citizenToken), client.New(procs[1].url).WithToken(citizenToken)
	first := create(c1)
	if _, err := c1.GiveExplicitRequest(ctx, first); err != nil {
		t.Fatal(err)
	}
	complete(c1, procs[0].url, first)
	if n := len(countLogs(ms, "provider: answer queued", "exchange")); n != 1 {
		t.Errorf("the member state answered %d exchanges, want 1", n)
	}

	// B's primary stops answering; the citizen gives the explicit request
	// on A1, which sends at once and so holds the send job, waiting for
	// B. A1 dies (SIGKILL) meanwhile: A2 takes the job over once its lease
	// runs out and sends the request; the member state's answers go to A's
	// second access point, which carries the request to the end.
	b1Proxy.stall(true)
	second := create(c1)
	go c1.GiveExplicitRequest(ctx, second) // answers only after the send, which A1 does not live to see
	select {
	case <-b1Proxy.held:
	case <-time.After(30 * time.Second):
		t.Fatalf("A1 did not send the second request:\n%s", procs[0].log())
	}
	procs[0].kill()
	killed := time.Now()
	b1Proxy.stall(false)
	carryOn(t, c2, second, "preview_required")
	if took := time.Since(killed); took > 30*time.Second {
		t.Errorf("A2 sent the request %s after A1 died holding its send job; want it within the 10 s job lease (and a few seconds)", took.Round(time.Second))
	} else {
		t.Logf("A2 took over A1's send job and the provider answered %s after A1 died", took.Round(100*time.Millisecond))
	}
	if b1Proxy.forwarded.Load() == 0 {
		t.Errorf("nothing reached B's primary after A1 died: the request did not go there")
	}
	complete(c2, procs[1].url, second)
	if got := len(countLogs(procs[1], "requester: answer delivered", "exchange")); got == 0 {
		t.Errorf("the second access point received no answer after the first died")
	}
	if acked := countLogs(ms, "as4 message acknowledged", "endpoint")["http://"+a2+"/as4"]; acked < 2 {
		t.Errorf("the member state's answers were acknowledged %d times by the second access point, want 2", acked)
	}
	for _, p := range []*serverProcess{procs[1], ms} {
		p.stop()
	}
}

func TestCheckNetworkPrintsThePlanOfTheExample(t *testing.T) {
	dir := t.TempDir()
	text, err := os.ReadFile("../../docs/network.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "network.toml"), string(text))
	s, err := demo.New(demo.Options{RequesterName: "LV", ProviderName: "DE"})
	if err != nil {
		t.Fatal(err)
	}
	if err := networktest.WriteSide(filepath.Join(dir, "network-example"), s.Requester, s.PKI, networkPassword); err != nil {
		t.Fatal(err)
	}
	check := func(env ...string) (int, string, string) {
		cmd := exec.Command(os.Args[0], "-check-network", filepath.Join(dir, "network.toml"))
		cmd.Env = append(append(os.Environ(), serverEnv+"=1"), env...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		_ = cmd.Run()
		return cmd.ProcessState.ExitCode(), stdout.String(), stderr.String()
	}
	code, out, errs := check("VIENREIZ_AP_PASSWORD=" + networkPassword)
	if code != 0 {
		t.Fatalf("-check-network exit %d:\n%s", code, errs)
	}
	for _, want := range []string{`Our party "LV"`, "ap1-riga", "ap2-valmiera", "subject CN=LV", "DE (default partner)", "oots-request: LV -> DE",
		"come back to https://vienreiz.example.lv/open/requests/ID", "The network file is usable."} {
		if !strings.Contains(out, want) {
			t.Errorf("the plan lacks %q:\n%s", want, out)
		}
	}
	example := filepath.Join(dir, "network.toml")
	write(t, example, strings.Replace(string(text), `return_base_url = "https://vienreiz.example.lv"`, `return_base_url = "ftp://vienreiz.example.lv"`, 1))
	code, _, errs = check("VIENREIZ_AP_PASSWORD=" + networkPassword)
	if code != 1 || !strings.Contains(errs, `preview.return_base_url: "ftp://vienreiz.example.lv" is not an http or https URL`) {
		t.Fatalf("-check-network with a bad preview-redirect base URL: exit %d, %q; want 1 naming the field", code, errs)
	}
	write(t, example, string(text))
	code, _, errs = check("VIENREIZ_AP_PASSWORD=wrong")
	if code != 1 || !strings.Contains(errs, "access_points[0].identity: wrong password") || !strings.Contains(errs, "access_points[1].identity: wrong password") {
		t.Fatalf("-check-network with a wrong password: exit %d, %q; want 1 naming both access points", code, errs)
	}
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// stallingProxy forwards TCP connections to an access point or, while
// stalled, takes them and never answers: an access point that hangs.
type stallingProxy struct {
	ln        net.Listener
	target    string
	stalled   atomic.Bool
	forwarded atomic.Int32
	// held hears of each connection taken while stalled.
	held chan struct{}
}

func startStallingProxy(t *testing.T, target string) *stallingProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &stallingProxy{ln: ln, target: target, held: make(chan struct{}, 16)}
	var conns sync.WaitGroup
	t.Cleanup(func() {
		ln.Close()
		conns.Wait()
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Go(func() { p.serve(c) })
		}
	}()
	return p
}

func (p *stallingProxy) addr() string { return p.ln.Addr().String() }

func (p *stallingProxy) stall(on bool) { p.stalled.Store(on) }

// serve holds c unanswered while stalled (until its client goes away, or
// at most a minute), else pipes it to the target.
func (p *stallingProxy) serve(c net.Conn) {
	defer c.Close()
	if p.stalled.Load() {
		select {
		case p.held <- struct{}{}:
		default:
		}
		c.SetDeadline(time.Now().Add(time.Minute))
		io.Copy(io.Discard, c)
		return
	}
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	defer up.Close()
	p.forwarded.Add(1)
	done := make(chan struct{})
	go func() {
		io.Copy(up, c)
		up.(*net.TCPConn).CloseWrite()
		close(done)
	}()
	io.Copy(c, up)
	c.SetDeadline(time.Now())
	<-done
}
