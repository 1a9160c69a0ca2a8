package as4_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/as4/pmode"
	"github.com/vienreiz/vienreiz/oots/as4/sqlitestore"
)

func TestSendReceiveRoundTrip(t *testing.T) {
	w := newWorld(t, 1)
	query := []byte(`<query:QueryRequest xmlns:query="urn:oasis:names:tc:ebxml-regrep:xsd:query:4.0"/>`)
	pdf := bytes.Repeat([]byte("%PDF evidence "), 4000)
	res, err := w.memSender().Send(context.Background(), querySubmission(
		payload("regrep@vienreiz", as4.MimeEbRS, query),
		payload("evidence@vienreiz", "application/pdf", pdf)))
	if err != nil {
		t.Fatal(err)
	}
	if res.Attempts != 1 || res.Endpoint != w.sendCfg.Parties["de"].Endpoints[0] || res.Receipt.RefToMessageID != res.MessageID {
		t.Errorf("result %+v", res)
	}
	if n := len(res.Receipt.Receipt.References); n != 4 { // eb:Messaging, Body, two parts
		t.Errorf("receipt NRR has %d references, want 4", n)
	}
	got := w.deliveries()
	if len(got) != 1 {
		t.Fatalf("%d deliveries", len(got))
	}
	d := got[0]
	if d.msg.MessageID != res.MessageID || d.msg.Action != as4.ActionQueryRequest || d.msg.Property(as4.PropOriginalSender) != "LV40003245752" {
		t.Errorf("delivered header %+v", d.msg)
	}
	if !bytes.Equal(d.payloads["regrep@vienreiz"], query) || !bytes.Equal(d.payloads["evidence@vienreiz"], pdf) {
		t.Error("delivered payloads differ from those sent")
	}
	if d.types["evidence@vienreiz"] != "application/pdf" || d.signer != "AP_LV_01" {
		t.Errorf("types %v signer %q", d.types, d.signer)
	}
	// On the wire the parts were compressed, then encrypted.
	wire := w.lastRequest()
	if bytes.Contains(wire.body, []byte("%PDF evidence")) || bytes.Contains(wire.body, []byte("query:QueryRequest")) {
		t.Error("payload travelled in clear")
	}
	for _, want := range []string{"CompressionType", as4.MimeGzip, "EncryptedData", "ds:Signature"} {
		if !bytes.Contains(wire.body, []byte(want)) {
			t.Errorf("request lacks %s", want)
		}
	}
}

func TestFailoverToSecondEndpoint(t *testing.T) {
	w := newWorld(t, 1)
	// Endpoint 1 is a port where nobody listens any more.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "http://" + l.Addr().String() + "/as4"
	l.Close()
	de := w.sendCfg.Parties["de"]
	de.Endpoints = append([]string{down}, de.Endpoints...)
	res, err := w.memSender().Send(context.Background(), querySubmission(payload("p@x", as4.MimeEbRS, []byte("<q/>"))))
	if err != nil {
		t.Fatal(err)
	}
	if res.Endpoint != de.Endpoints[1] || res.Attempts != 2 {
		t.Errorf("answered by %s after %d attempts, want %s after 2", res.Endpoint, res.Attempts, de.Endpoints[1])
	}
	if len(w.deliveries()) != 1 {
		t.Errorf("%d deliveries", len(w.deliveries()))
	}
}

func TestFailoverOnTimeout(t *testing.T) {
	w := newWorld(t, 1)
	stall := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) { <-stall }))
	defer slow.Close()
	defer close(stall)
	de := w.sendCfg.Parties["de"]
	de.Endpoints = append([]string{slow.URL}, de.Endpoints...)
	w.pm.Reliability.ReceiptTimeout = 300 * 1e6 // 300 ms
	res, err := w.memSender().Send(context.Background(), querySubmission(payload("p@x", as4.MimeEbRS, []byte("<q/>"))))
	if err != nil {
		t.Fatal(err)
	}
	if res.Endpoint != de.Endpoints[1] {
		t.Errorf("answered by %s, want the second endpoint", res.Endpoint)
	}
}

func TestTwoListenersShareDuplicateStore(t *testing.T) {
	w := newWorld(t, 2)
	res, err := w.memSender().Send(context.Background(), querySubmission(payload("p@x", as4.MimeEbRS, []byte("<q/>"))))
	if err != nil {
		t.Fatal(err)
	}
	first := w.lastRequest()
	// The same message reaches the second data centre, sequentially and
	// then concurrently through both.
	status, m, _ := post(t, w.servers[1].URL+"/as4", first.contentType, first.body)
	if status != http.StatusOK || m.Signals[0].Receipt == nil || m.Signals[0].RefToMessageID != res.MessageID {
		t.Fatalf("listener 2 answered %d %+v", status, m)
	}
	var wg sync.WaitGroup
	for _, srv := range w.servers {
		wg.Add(1)
		go func(url string) {
			defer wg.Done()
			status, m, raw := post(t, url, first.contentType, first.body)
			if status != http.StatusOK || ebmsError(m) != nil {
				t.Errorf("%s: %d %s", url, status, raw)
			}
		}(srv.URL + "/as4")
	}
	wg.Wait()
	if n := len(w.deliveries()); n != 1 {
		t.Fatalf("message delivered %d times through two listeners", n)
	}
}

func TestConcurrentFirstCopiesDeliveredOnce(t *testing.T) {
	w := newWorld(t, 2)
	release := make(chan struct{})
	var once sync.Once
	entered := make(chan struct{})
	w.deliver = func(ctx context.Context, d *as4.Delivery) error {
		once.Do(func() { close(entered) })
		<-release
		return nil
	}
	ct, body := w.craft(userMessage("race@lv", "p@x", false), []as4.Part{as4.BytesPart("p@x", as4.MimeEbRS, []byte("<q/>"))},
		craftOpts{sign: true, encrypt: true, signer: w.lvID})
	var wg sync.WaitGroup
	var receipts [2][]byte
	for i, srv := range w.servers {
		wg.Add(1)
		go func(i int, url string) {
			defer wg.Done()
			if i == 1 {
				<-entered // the first copy is being delivered
			}
			status, m, raw := post(t, url, ct, body)
			if status != http.StatusOK || m.Signals[0].Receipt == nil {
				t.Errorf("listener %d: %d %s", i, status, raw)
			}
			receipts[i] = raw
		}(i, srv.URL+"/as4")
	}
	<-entered
	close(release)
	wg.Wait()
	if n := len(w.deliveries()); n != 1 {
		t.Fatalf("delivered %d times", n)
	}
	if !sameReceipt(t, receipts[0], receipts[1]) {
		t.Error("the waiting listener did not answer with the first copy's receipt")
	}
}

func TestReplayedMessageIDGetsSameReceipt(t *testing.T) {
	w := newWorld(t, 1)
	if _, err := w.memSender().Send(context.Background(), querySubmission(payload("p@x", as4.MimeEbRS, []byte("<q/>")))); err != nil {
		t.Fatal(err)
	}
	first := w.lastRequest()
	_, _, r1 := post(t, w.servers[0].URL, first.contentType, first.body)
	_, m, r2 := post(t, w.servers[0].URL, first.contentType, first.body)
	if m.Signals[0].Receipt == nil || !sameReceipt(t, r1, r2) {
		t.Fatalf("replay answers differ or are no receipt:\n%s\n%s", r1, r2)
	}
	if n := len(w.deliveries()); n != 1 {
		t.Fatalf("replayed message delivered %d times", n)
	}
}

func gz(t testing.TB, data []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(data)
	zw.Close()
	return buf.Bytes()
}

// TestRejectedMessages sends hostile or broken messages; each must get the
// named ebMS error with RefToMessageInError, and nothing is delivered.
func TestRejectedMessages(t *testing.T) {
	w := newWorld(t, 1)
	other, err := w.pki.Party("AP_FR_01") // trusted CA, but not lv's certificate
	if err != nil {
		t.Fatal(err)
	}
	bomb := gz(t, make([]byte, 16<<20)) // 16 MiB of zeros in ~16 KiB, limit 8 MiB
	plain := []as4.Part{as4.BytesPart("p@x", as4.MimeEbRS, []byte("<q/>"))}
	zipped := []as4.Part{as4.BytesPart("p@x", as4.MimeGzip, gz(t, []byte("<q/>")))}
	signed := craftOpts{sign: true, encrypt: true, signer: w.lvID}
	cases := []struct {
		name  string
		build func() (string, []byte)
		code  *as4.Error
		ref   string
	}{
		{"gzip bomb", func() (string, []byte) {
			return w.craft(userMessage("bomb@lv", "p@x", true), []as4.Part{as4.BytesPart("p@x", as4.MimeGzip, bomb)}, signed)
		}, as4.ErrDecompressionFailure, "bomb@lv"},
		{"not gzip although CompressionType says so", func() (string, []byte) {
			return w.craft(userMessage("notgz@lv", "p@x", true), plain, signed)
		}, as4.ErrDecompressionFailure, "notgz@lv"},
		{"missing signature", func() (string, []byte) {
			return w.craft(userMessage("unsigned@lv", "p@x", true), zipped, craftOpts{encrypt: true})
		}, as4.ErrPolicyNoncompliance, "unsigned@lv"},
		{"not encrypted", func() (string, []byte) {
			return w.craft(userMessage("clear@lv", "p@x", true), zipped, craftOpts{sign: true, signer: w.lvID})
		}, as4.ErrPolicyNoncompliance, "clear@lv"},
		{"signed by another party's certificate", func() (string, []byte) {
			return w.craft(userMessage("spoof@lv", "p@x", true), zipped, craftOpts{sign: true, encrypt: true, signer: other})
		}, as4.ErrFailedAuthentication, "spoof@lv"},
		{"unknown sender", func() (string, []byte) {
			u := userMessage("stranger@xx", "p@x", true)
			u.From.IDs[0].Value = "AP_XX_99"
			return w.craft(u, zipped, signed)
		}, as4.ErrValueInconsistent, "stranger@xx"},
		{"addressed to another party", func() (string, []byte) {
			u := userMessage("elsewhere@lv", "p@x", true)
			u.To.IDs[0].Value = "AP_LV_01"
			return w.craft(u, zipped, signed)
		}, as4.ErrValueInconsistent, "elsewhere@lv"},
		{"action outside the P-Mode", func() (string, []byte) {
			u := userMessage("action@lv", "p@x", true)
			u.Action = "DeleteEverything"
			return w.craft(u, zipped, signed)
		}, as4.ErrProcessingModeMismatch, "action@lv"},
		{"unknown CompressionType", func() (string, []byte) {
			u := userMessage("zstd@lv", "p@x", false)
			u.Parts[0].Properties = append(u.Parts[0].Properties, as4.Property{Name: as4.PartPropCompression, Value: "application/zstd"})
			return w.craft(u, zipped, signed)
		}, as4.ErrValueNotRecognized, "zstd@lv"},
		{"agreement of another P-Mode", func() (string, []byte) {
			u := userMessage("agreement@lv", "p@x", true)
			u.Agreement = "urn:other:agreement"
			return w.craft(u, zipped, signed)
		}, as4.ErrProcessingModeMismatch, "agreement@lv"},
		{"PartInfo without MIME part", func() (string, []byte) {
			u := userMessage("nopart@lv", "p@x", true)
			u.Parts = append(u.Parts, as4.PartInfo{Href: "cid:missing@x"})
			return w.craft(u, zipped, signed)
		}, as4.ErrMimeInconsistency, "nopart@lv"},
		{"tampered attachment", func() (string, []byte) {
			ct, body := w.craft(userMessage("tamper@lv", "p@x", true), zipped, craftOpts{sign: true, signer: w.lvID})
			w.pm.Security.Encrypt = false
			t.Cleanup(func() { w.pm.Security.Encrypt = true })
			i := bytes.LastIndex(body, []byte("--crafted--")) - 5
			body[i] ^= 0xff
			return ct, body
		}, as4.ErrFailedAuthentication, "tamper@lv"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ct, body := c.build()
			status, m, raw := post(t, w.servers[0].URL, ct, body)
			e := ebmsError(m)
			if status != http.StatusOK || e == nil || !errors.Is(e, c.code) || e.RefToMessageInError != c.ref {
				t.Fatalf("got %d %v, want %s for %s\n%s", status, e, c.code.Code, c.ref, raw)
			}
			if m.Signals[0].RefToMessageID != c.ref {
				t.Errorf("signal RefToMessageId %q", m.Signals[0].RefToMessageID)
			}
		})
	}
	if n := len(w.deliveries()); n != 0 {
		t.Fatalf("%d rejected messages were delivered", n)
	}
}

func TestRejectedTransport(t *testing.T) {
	w := newWorld(t, 1)
	ct, body := w.craft(userMessage("trunc@lv", "p@x", false), []as4.Part{as4.BytesPart("p@x", "application/octet-stream", bytes.Repeat([]byte("x"), 10000))},
		craftOpts{sign: true, encrypt: true, signer: w.lvID})
	cases := []struct {
		name, ct string
		body     []byte
		code     *as4.Error
	}{
		{"truncated MIME", ct, body[:len(body)/2], as4.ErrMimeInconsistency},
		{"truncated before the closing boundary", ct, body[:len(body)-4], as4.ErrMimeInconsistency},
		{"wrong content type", "text/plain", body, as4.ErrMimeInconsistency},
		{"not XML", "application/soap+xml", []byte("hello"), as4.ErrInvalidHeader},
		{"DOCTYPE entity bomb", "application/soap+xml", []byte(`<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>`), as4.ErrInvalidHeader},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, m, raw := post(t, w.servers[0].URL, c.ct, c.body)
			if e := ebmsError(m); status != http.StatusOK || e == nil || !errors.Is(e, c.code) {
				t.Fatalf("got %d %v, want %s\n%s", status, e, c.code.Code, raw)
			}
		})
	}
	resp, err := http.Get(w.servers[0].URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET answered %d", resp.StatusCode)
	}
	if n := len(w.deliveries()); n != 0 {
		t.Fatalf("%d broken messages were delivered", n)
	}
}

func TestDeliveryFailureIsFinalAndRetryable(t *testing.T) {
	w := newWorld(t, 1)
	fail := true
	w.deliver = func(context.Context, *as4.Delivery) error {
		if fail {
			return errors.New("backend down")
		}
		return nil
	}
	s := w.memSender()
	_, err := s.Send(context.Background(), querySubmission(payload("p@x", as4.MimeEbRS, []byte("<q/>"))))
	if !errors.Is(err, as4.ErrDeliveryFailure) || !strings.Contains(err.Error(), "backend down") {
		t.Fatalf("got %v, want EBMS:0202", err)
	}
	// The claim was released: the same message, sent again, is delivered.
	fail = false
	req := w.lastRequest()
	if _, m, raw := post(t, w.servers[0].URL, req.contentType, req.body); m.Signals[0].Receipt == nil {
		t.Fatalf("retry not delivered: %s", raw)
	}
	if n := len(w.deliveries()); n != 1 {
		t.Fatalf("%d deliveries", n)
	}
}

func TestMissingReceiptAfterRetries(t *testing.T) {
	w := newWorld(t, 1)
	var mu sync.Mutex
	hits := 0
	down := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits++
		mu.Unlock()
		http.Error(rw, "maintenance", http.StatusServiceUnavailable)
	}))
	defer down.Close()
	w.sendCfg.Parties["de"].Endpoints = []string{down.URL, down.URL + "/b"}
	store := as4.NewMemStore()
	_, err := w.sender(store, t.TempDir()).Send(context.Background(), querySubmission(payload("p@x", as4.MimeEbRS, []byte("<q/>"))))
	if !errors.Is(err, as4.ErrMissingReceipt) {
		t.Fatalf("got %v, want EBMS:0301", err)
	}
	if want := (w.pm.Reliability.RetryCount + 1) * 2; hits != want {
		t.Errorf("%d posts, want %d (rounds × endpoints)", hits, want)
	}
	if p, _ := store.Pending(context.Background(), 0); len(p) != 0 {
		t.Errorf("failed message still pending: %+v", p)
	}
}

// TestOutboxCrashRestart: a message accepted by one Sender that dies
// before sending, and one that dies after the receiver delivered it but
// before the receipt came back, are each delivered exactly once by a new
// Sender on the same outbox.
func TestOutboxCrashRestart(t *testing.T) {
	w := newWorld(t, 1)
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "outbox.db")
	payloadDir := filepath.Join(dir, "payloads")
	ctx := context.Background()

	store1, err := sqlitestore.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	s1 := w.sender(store1, payloadDir)
	idAccepted, err := s1.Submit(ctx, querySubmission(payload("a@x", as4.MimeEbRS, []byte("<accepted/>"))))
	if err != nil {
		t.Fatal(err)
	}
	// Second message: the receiver delivers, then the sender "crashes"
	// (its context ends) before reading the receipt.
	sendCtx, crash := context.WithCancel(ctx)
	w.deliver = func(ctx context.Context, d *as4.Delivery) error {
		if d.Message.Property("crash") == "yes" {
			crash()
		}
		return nil
	}
	sub := querySubmission(payload("b@x", as4.MimeEbRS, []byte("<in-flight/>")))
	sub.Properties = append(sub.Properties, as4.Property{Name: "crash", Value: "yes"})
	if _, err := s1.Send(sendCtx, sub); !errors.Is(err, context.Canceled) {
		t.Fatalf("send during crash: %v", err)
	}
	store1.Close() // the process is gone

	store2, err := sqlitestore.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer store2.Close()
	pending, err := store2.Pending(ctx, 0)
	if err != nil || len(pending) != 2 {
		t.Fatalf("pending after restart: %d %v", len(pending), err)
	}
	s2 := w.sender(store2, payloadDir)
	if err := s2.Resume(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s2.Resume(ctx); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, d := range w.deliveries() {
		counts[d.msg.MessageID]++
	}
	if len(counts) != 2 || counts[idAccepted] != 1 {
		t.Fatalf("deliveries per message: %v", counts)
	}
	for id, n := range counts {
		if n != 1 {
			t.Errorf("%s delivered %d times", id, n)
		}
	}
	if pending, _ := store2.Pending(ctx, 0); len(pending) != 0 {
		t.Errorf("still pending: %d", len(pending))
	}
	if entries, _ := filepath.Glob(filepath.Join(payloadDir, "*")); len(entries) != 0 {
		t.Errorf("outbox payload folders left behind: %v", entries)
	}
}

func TestCheckEndpoint(t *testing.T) {
	for _, c := range []struct {
		url string
		ok  bool
	}{
		{"https://ap.example.eu/as4", true},
		{"http://127.0.0.1:8080/as4", true},
		{"http://[::1]:8080/as4", true},
		{"http://localhost/as4", true},
		{"http://ap.example.eu/as4", false},
		{"ftp://ap.example.eu/", false},
		{"://", false},
	} {
		if err := as4.CheckEndpoint(c.url); (err == nil) != c.ok {
			t.Errorf("%s: %v", c.url, err)
		}
	}
}

func TestTLSTransport(t *testing.T) {
	w := newWorld(t, 1)
	for _, c := range []struct {
		name   string
		maxVer uint16
		ok     bool
	}{
		{"TLS 1.3", tls.VersionTLS13, true},
		{"TLS 1.2", tls.VersionTLS12, true},
		{"TLS 1.1 refused", tls.VersionTLS11, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewUnstartedServer(w.recv[0])
			srv.TLS = &tls.Config{MinVersion: tls.VersionTLS10, MaxVersion: c.maxVer}
			srv.StartTLS()
			defer srv.Close()
			roots := x509.NewCertPool()
			roots.AddCert(srv.Certificate())
			w.sendCfg.Parties["de"].Endpoints = []string{srv.URL + "/as4"}
			w.pm.Reliability.RetryCount = 0
			s := w.memSender()
			s.Client = as4.NewHTTPClient(as4.TLSConfig(roots, nil))
			_, err := s.Send(context.Background(), querySubmission(payload("p@x", as4.MimeEbRS, []byte("<q/>"))))
			if c.ok && err != nil {
				t.Fatal(err)
			}
			if !c.ok && (!errors.Is(err, as4.ErrMissingReceipt) || !strings.Contains(err.Error(), "protocol version")) {
				t.Fatalf("got %v, want a refused handshake", err)
			}
		})
	}
}

func TestRunSendsSubmittedMessages(t *testing.T) {
	w := newWorld(t, 1)
	s := w.memSender()
	ids := map[string]bool{}
	for i := 0; i < 3; i++ {
		id, err := s.Submit(context.Background(), querySubmission(payload("p@x", as4.MimeEbRS, []byte("<q/>"))))
		if err != nil {
			t.Fatal(err)
		}
		ids[id] = true
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Run(ctx, time.Hour) }()
	deadline := time.Now().Add(20 * time.Second)
	for len(w.deliveries()) < 3 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run returned %v", err)
	}
	for _, d := range w.deliveries() {
		delete(ids, d.msg.MessageID)
	}
	if len(ids) != 0 || len(w.deliveries()) != 3 {
		t.Fatalf("not delivered: %v; %d deliveries", ids, len(w.deliveries()))
	}
}

// queuedOnce submits a message of 100 KiB payload (stored as a file, not
// inline) with MessageId fixed@lv to a new sender, and returns the world,
// the sender, that payload and another submission with the same MessageId.
func queuedOnce(t *testing.T) (w *world, s *as4.Sender, big []byte, again *as4.Submission) {
	t.Helper()
	w = newWorld(t, 1)
	s = w.memSender()
	big = bytes.Repeat([]byte("A"), 100<<10)
	sub := querySubmission(payload("p@x", as4.MimeEbRS, big))
	sub.MessageID = "fixed@lv"
	if _, err := s.Submit(context.Background(), sub); err != nil {
		t.Fatal(err)
	}
	again = querySubmission(payload("p@x", as4.MimeEbRS, bytes.Repeat([]byte("B"), 100<<10)))
	again.MessageID = "fixed@lv"
	return w, s, big, again
}

func TestResubmittedMessageIDRefused(t *testing.T) {
	w, s, big, again := queuedOnce(t)
	if _, err := s.Submit(context.Background(), again); !errors.Is(err, as4.ErrExists) {
		t.Fatalf("second submit: %v", err)
	}
	if err := s.Resume(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := w.deliveries()
	if len(got) != 1 || !bytes.Equal(got[0].payloads["p@x"], big) {
		t.Fatal("the refused resubmission changed the queued message")
	}
	if left, _ := filepath.Glob(filepath.Join(s.Dir, "*")); len(left) != 0 {
		t.Errorf("outbox files left after sending: %v", left)
	}
}

// TestForeignPModeIDAccepted: AgreementRef/@pmode carries the sender's
// own P-Mode name (Domibus does), which differs from ours.
func TestForeignPModeIDAccepted(t *testing.T) {
	w := newWorld(t, 1)
	u := userMessage("foreign@lv", "p@x", true)
	u.Agreement, u.PModeID = w.pm.Agreement, "domibus-local-pmode-name"
	ct, body := w.craft(u, []as4.Part{as4.BytesPart("p@x", as4.MimeGzip, gz(t, []byte("<q/>")))}, craftOpts{sign: true, encrypt: true, signer: w.lvID})
	_, m, raw := post(t, w.servers[0].URL, ct, body)
	if m == nil || m.Signals[0].Receipt == nil {
		t.Fatalf("no receipt: %s", raw)
	}
}

func TestSendWithoutPayload(t *testing.T) {
	w := newWorld(t, 1)
	res, err := w.memSender().Send(context.Background(), querySubmission())
	if err != nil {
		t.Fatal(err)
	}
	got := w.deliveries()
	if len(got) != 1 || got[0].msg.MessageID != res.MessageID || len(got[0].payloads) != 0 {
		t.Fatalf("deliveries: %+v", got)
	}
	if req := w.lastRequest(); !strings.HasPrefix(req.contentType, "multipart/related") {
		t.Errorf("content type %q", req.contentType)
	}
}

func TestInternalErrorsNotDisclosed(t *testing.T) {
	w := newWorld(t, 1)
	w.recv[0].Duplicates = nil // misconfigured: the P-Mode asks for duplicate detection
	ct, body := w.craft(userMessage("m@lv", "p@x", false), []as4.Part{as4.BytesPart("p@x", as4.MimeEbRS, []byte("<q/>"))},
		craftOpts{sign: true, encrypt: true, signer: w.lvID})
	_, m, raw := post(t, w.servers[0].URL, ct, body)
	e := ebmsError(m)
	if e == nil || !errors.Is(e, as4.ErrOther) || e.RefToMessageInError != "m@lv" {
		t.Fatalf("got %v\n%s", e, raw)
	}
	if strings.Contains(string(raw), "store") || !strings.Contains(e.Detail, "internal error") {
		t.Errorf("detail disclosed: %q", e.Detail)
	}
}

// TestUnsecuredPModeRoundTrip: a P-Mode without signing or encryption
// (the embedded demo on loopback) still gets a receipt, which then holds a
// copy of the eb:UserMessage instead of non-repudiation information.
func TestUnsecuredPModeRoundTrip(t *testing.T) {
	w := newWorld(t, 1)
	w.pm.Security = pmode.Security{SendReceipt: true}
	w.pm.Compress = false
	res, err := w.memSender().Send(context.Background(), querySubmission(payload("p@x", as4.MimeEbRS, []byte("<q/>"))))
	if err != nil {
		t.Fatal(err)
	}
	r := res.Receipt.Receipt
	if len(r.References) != 0 || r.UserMessage == nil {
		t.Fatalf("receipt %+v", r)
	}
	if got := w.deliveries(); len(got) != 1 || string(got[0].payloads["p@x"]) != "<q/>" || got[0].signer != "" {
		t.Fatalf("deliveries %+v", got)
	}
	if body := w.lastRequest().body; bytes.Contains(body, []byte("wsse:Security")) || !bytes.Contains(body, []byte("<q/>")) {
		t.Error("unsecured P-Mode sent a secured or compressed message")
	}
}
