package as4_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/as4/keys"
	"github.com/vienreiz/vienreiz/oots/as4/keys/testpki"
	"github.com/vienreiz/vienreiz/oots/as4/pmode"
	"github.com/vienreiz/vienreiz/oots/as4/sqlitestore"
	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

// world is two access points, "lv" sending and "de" receiving, with a test
// PKI, a shared SQLite duplicate store and one or more listeners for de.
type world struct {
	t        testing.TB
	now      time.Time
	pki      *testpki.PKI
	lvID     keys.Identity
	deID     keys.Identity
	trust    *keys.TrustStore
	pm       *pmode.PMode
	sendCfg  *pmode.Config
	recvCfg  *pmode.Config
	dupPath  string
	servers  []*httptest.Server
	recv     []*as4.Receiver
	mu       sync.Mutex
	got      []*received
	requests []recorded
	deliver  func(ctx context.Context, d *as4.Delivery) error
	// noRecord turns the request recorder off (benchmarks).
	noRecord atomic.Bool
}

type received struct {
	msg      *as4.UserMessage
	payloads map[string][]byte
	types    map[string]string
	signer   string
}

type recorded struct {
	contentType string
	body        []byte
}

func testPMode() *pmode.PMode {
	return &pmode.PMode{
		ID: "oots-lv-de", Agreement: "urn:oots:agreement", MEP: pmode.MEPOneWay, MEPBinding: pmode.MEPBindingPush,
		Initiator: pmode.PartyRef{Party: "lv", Role: as4.GatewayRole},
		Responder: pmode.PartyRef{Party: "de", Role: as4.GatewayRole},
		Legs: []pmode.Leg{
			{Service: as4.OOTSService, ServiceType: as4.OOTSServiceType, Action: as4.ActionQueryRequest},
			{Service: as4.OOTSService, ServiceType: as4.OOTSServiceType, Action: as4.ActionQueryResponse},
		},
		Security: pmode.DefaultSecurity(),
		Reliability: pmode.Reliability{RetryCount: 2, RetryInterval: 20 * time.Millisecond, BackoffFactor: 2,
			ReceiptTimeout: 10 * time.Second, DuplicateDetection: true},
		Compress: true,
	}
}

// newWorld starts listeners de listeners, all sharing one duplicate store
// file, and configures the sender with their URLs in order.
func newWorld(t testing.TB, listeners int) *world {
	t.Helper()
	w := &world{t: t, now: time.Now()}
	var err error
	if w.pki, err = testpki.New(w.now); err != nil {
		t.Fatal(err)
	}
	if w.lvID, err = w.pki.Party("AP_LV_01"); err != nil {
		t.Fatal(err)
	}
	if w.deID, err = w.pki.Party("AP_DE_01"); err != nil {
		t.Fatal(err)
	}
	w.trust = w.pki.TrustStore()
	w.pm = testPMode()
	w.dupPath = filepath.Join(t.TempDir(), "received.db")
	var urls []string
	for i := 0; i < listeners; i++ {
		srv := httptest.NewUnstartedServer(nil)
		w.servers = append(w.servers, srv)
		urls = append(urls, "http://"+srv.Listener.Addr().String()+"/as4")
	}
	parties := func(deURLs []string) map[string]*pmode.Party {
		return map[string]*pmode.Party{
			"lv": {Name: "lv", IDs: []pmode.PartyID{{Value: "AP_LV_01", Type: as4.PartyIDTypeOOTS}}, Cert: w.lvID.Cert},
			"de": {Name: "de", IDs: []pmode.PartyID{{Value: "AP_DE_01", Type: as4.PartyIDTypeOOTS}}, Cert: w.deID.Cert, Endpoints: deURLs},
		}
	}
	w.sendCfg = &pmode.Config{Self: "lv", Parties: parties(urls), PModes: []*pmode.PMode{w.pm}}
	w.recvCfg = &pmode.Config{Self: "de", Parties: parties(nil), PModes: []*pmode.PMode{w.pm}}
	for _, srv := range w.servers {
		store, err := sqlitestore.Open(context.Background(), w.dupPath)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { store.Close() })
		r := &as4.Receiver{
			Config: w.recvCfg, Identity: w.deID, Trust: w.trust, Security: as4.WSS(),
			Duplicates: store, Deliver: w.record, SpoolDir: t.TempDir(),
			Limits: as4.Limits{Decompressed: 8 << 20}, InProgressWait: 5 * time.Second,
			Logger: quiet(),
		}
		w.recv = append(w.recv, r)
		srv.Config.Handler = w.recorder(r)
		srv.Start()
		t.Cleanup(srv.Close)
	}
	return w
}

// recorder keeps a copy of every request body so tests can replay it.
func (w *world) recorder(h http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, req *http.Request) {
		if w.noRecord.Load() {
			h.ServeHTTP(rw, req)
			return
		}
		body, err := io.ReadAll(req.Body)
		if err != nil {
			http.Error(rw, err.Error(), http.StatusBadRequest)
			return
		}
		w.mu.Lock()
		w.requests = append(w.requests, recorded{req.Header.Get("Content-Type"), body})
		w.mu.Unlock()
		req.Body = io.NopCloser(bytes.NewReader(body))
		h.ServeHTTP(rw, req)
	})
}

func (w *world) record(ctx context.Context, d *as4.Delivery) error {
	if w.deliver != nil {
		if err := w.deliver(ctx, d); err != nil {
			return err
		}
	}
	r := &received{msg: d.Message, payloads: map[string][]byte{}, types: map[string]string{}}
	if d.Signer != nil {
		r.signer = d.Signer.Subject.CommonName
	}
	for _, p := range d.Payloads {
		rc, err := p.Open()
		if err != nil {
			return err
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return err
		}
		r.payloads[p.ContentID] = b
		r.types[p.ContentID] = p.MimeType
	}
	w.mu.Lock()
	w.got = append(w.got, r)
	w.mu.Unlock()
	return nil
}

func (w *world) deliveries() []*received {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]*received(nil), w.got...)
}

func (w *world) lastRequest() recorded {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.requests[len(w.requests)-1]
}

// sender returns a Sender of lv with its outbox in store and dir.
func (w *world) sender(outbox as4.Outbox, dir string) *as4.Sender {
	return &as4.Sender{
		Config: w.sendCfg, Identity: w.lvID, Trust: w.trust, Security: as4.WSS(),
		Outbox: outbox, Dir: dir, Client: as4.NewHTTPClient(nil), Logger: quiet(),
	}
}

func (w *world) memSender() *as4.Sender {
	return w.sender(as4.NewMemStore(), w.t.TempDir())
}

func querySubmission(payloads ...as4.Payload) *as4.Submission {
	return &as4.Submission{
		To: "de", Service: as4.OOTSService, Action: as4.ActionQueryRequest,
		Properties: []as4.Property{
			{Name: as4.PropOriginalSender, Type: "urn:cef.eu:names:identifier:EAS:0218", Value: "LV40003245752"},
			{Name: as4.PropFinalRecipient, Type: "urn:cef.eu:names:identifier:EAS:9930", Value: "DE73524311"},
		},
		Payloads: payloads,
	}
}

func payload(cid, mimeType string, data []byte) as4.Payload {
	p := as4.BytesPart(cid, mimeType, data)
	return as4.Payload{ContentID: cid, MimeType: mimeType, Open: p.Open}
}

// post sends a raw request and parses the SOAP answer.
func post(t testing.TB, url, contentType string, body []byte) (int, *as4.Messaging, []byte) {
	t.Helper()
	resp, err := http.Post(url, contentType, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, nil, raw
	}
	doc, err := xmlsafe.ParseBytes(raw)
	if err != nil {
		t.Fatalf("response: %v\n%s", err, raw)
	}
	m, err := as4.ParseEnvelope(doc)
	if err != nil {
		t.Fatalf("response: %v\n%s", err, raw)
	}
	return resp.StatusCode, m, raw
}

// ebmsError returns the error of a signal response, or nil.
func ebmsError(m *as4.Messaging) *as4.Error {
	if m == nil {
		return nil
	}
	for _, s := range m.Signals {
		if len(s.Errors) > 0 {
			return s.Errors[0]
		}
	}
	return nil
}

// craft builds a raw AS4 request from a user message and plain parts,
// signing and encrypting as asked, for attack tests.
type craftOpts struct {
	sign, encrypt bool
	signer        keys.Identity
}

func (w *world) craft(u *as4.UserMessage, parts []as4.Part, o craftOpts) (string, []byte) {
	w.t.Helper()
	doc := as4.NewEnvelope(&as4.Messaging{User: u})
	sec := as4.WSS()
	var err error
	if o.sign {
		if err := sec.Sign(doc, parts, o.signer, w.pm.Security); err != nil {
			w.t.Fatal(err)
		}
	}
	if o.encrypt {
		if parts, err = sec.Encrypt(doc, parts, w.deID.Cert, w.pm.Security, nil); err != nil {
			w.t.Fatal(err)
		}
	}
	env, err := doc.WriteToBytes()
	if err != nil {
		w.t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := as4.WriteMIME(&buf, "crafted", env, parts); err != nil {
		w.t.Fatal(err)
	}
	return as4.MultipartContentType("crafted"), buf.Bytes()
}

// userMessage returns a user message from lv to de with one part.
func userMessage(id, cid string, compressed bool) *as4.UserMessage {
	props := []as4.Property{{Name: as4.PartPropMimeType, Value: as4.MimeEbRS}}
	if compressed {
		props = append(props, as4.Property{Name: as4.PartPropCompression, Value: as4.MimeGzip})
	}
	return &as4.UserMessage{
		MessageID: id, Timestamp: time.Now(),
		From:    as4.Party{IDs: []as4.PartyID{{Value: "AP_LV_01", Type: as4.PartyIDTypeOOTS}}, Role: as4.GatewayRole},
		To:      as4.Party{IDs: []as4.PartyID{{Value: "AP_DE_01", Type: as4.PartyIDTypeOOTS}}, Role: as4.GatewayRole},
		Service: as4.OOTSService, ServiceType: as4.OOTSServiceType, Action: as4.ActionQueryRequest,
		ConversationID: "c1",
		Parts:          []as4.PartInfo{{Href: "cid:" + cid, Properties: props}},
	}
}

// quiet is the tests' logger: silent unless -v with VIENREIZ_LOG=1.
func quiet() *slog.Logger {
	if os.Getenv("VIENREIZ_LOG") != "" {
		return slog.Default()
	}
	return slog.New(slog.DiscardHandler)
}
