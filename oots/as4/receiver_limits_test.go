package as4_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/as4/keys"
	"github.com/vienreiz/vienreiz/oots/as4/keys/testpki"
	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

// signedEnvelope returns the envelope of a user message signed by signer
// over a small stand-in of its attachment cid.
func (w *world) signedEnvelope(u *as4.UserMessage, signer keys.Identity) []byte {
	w.t.Helper()
	doc := as4.NewEnvelope(&as4.Messaging{User: u})
	part := as4.BytesPart(u.Parts[0].ContentID(), "application/octet-stream", []byte("stand-in"))
	if err := as4.WSS().Sign(doc, []as4.Part{part}, signer, w.pm.Security); err != nil {
		w.t.Fatal(err)
	}
	env, err := doc.WriteToBytes()
	if err != nil {
		w.t.Fatal(err)
	}
	return env
}

// countingReader counts what the receiver read of a request body.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// filler is an endless stream of 'x'.
type filler struct{}

func (filler) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

// uploadBody is a multipart AS4 body: env as root part, then one
// attachment cid of size bytes from content, then the close delimiter.
func uploadBody(env []byte, cid string, content io.Reader, size int64) io.Reader {
	head := "--up\r\nContent-Type: application/soap+xml; charset=UTF-8\r\nContent-ID: <soappart@vienreiz>\r\n\r\n" +
		string(env) + "\r\n--up\r\nContent-Type: application/octet-stream\r\nContent-ID: <" + cid + ">\r\n\r\n"
	return io.MultiReader(strings.NewReader(head), io.LimitReader(content, size), strings.NewReader("\r\n--up--\r\n"))
}

// serve hands body to the receiver directly (no socket buffers between)
// and returns the answer.
func serve(r http.Handler, body io.Reader) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/as4", body)
	req.Header.Set("Content-Type", as4.MultipartContentType("up"))
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, req)
	return rec
}

func answerError(t *testing.T, rec *httptest.ResponseRecorder) *as4.Error {
	t.Helper()
	if rec.Code != http.StatusOK {
		t.Fatalf("HTTP %d: %s", rec.Code, rec.Body)
	}
	doc, err := xmlsafe.ParseBytes(rec.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	m, err := as4.ParseEnvelope(doc)
	if err != nil {
		t.Fatal(err)
	}
	return ebmsError(m)
}

// TestReceiverRefusesBeforeSpooling: a stranger's upload is refused with
// the ebMS error after the receiver read the envelope, not the 64 MiB
// attachment behind it; a known sender's message over its P-Mode's size
// is refused once the limit is read (issue 12 item 2).
func TestReceiverRefusesBeforeSpooling(t *testing.T) {
	const upload = 64 << 20
	w := newWorld(t, 1)
	stranger, err := testpki.New(w.now)
	if err != nil {
		t.Fatal(err)
	}
	strangerID, err := stranger.Party("AP_EVIL_01")
	if err != nil {
		t.Fatal(err)
	}
	unknown := userMessage("unknown@x", "ev@x", false)
	unknown.From.IDs[0].Value = "AP_XX_99"
	tampered := w.signedEnvelope(userMessage("tampered@x", "ev@x", false), w.lvID)
	tampered = bytes.Replace(tampered, []byte(">c1<"), []byte(">c2<"), 1)

	for _, tc := range []struct {
		name      string
		env       []byte
		maxPMode  int64 // the P-Mode's MaxPayloadSize
		maxLimits int64 // the receiver's default for P-Modes without one
		code      string
		maxRead   int64
	}{
		{"unknown sender", w.signedEnvelope(unknown, w.lvID), 0, 0, "EBMS:0003", 1 << 20},
		{"signed by an untrusted key", w.signedEnvelope(userMessage("forged@x", "ev@x", false), strangerID), 0, 0, "EBMS:0101", 1 << 20},
		{"envelope changed after signing", tampered, 0, 0, "EBMS:0101", 1 << 20},
		{"over the P-Mode's size", w.signedEnvelope(userMessage("big@x", "ev@x", false), w.lvID), 2 << 20, 0, "EBMS:0010", 4 << 20},
		{"over the default size", w.signedEnvelope(userMessage("big2@x", "ev@x", false), w.lvID), 0, 2 << 20, "EBMS:0010", 4 << 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w.pm.MaxPayloadSize = tc.maxPMode
			w.recv[0].Limits.Payloads = tc.maxLimits
			body := &countingReader{r: uploadBody(tc.env, "ev@x", filler{}, upload)}
			e := answerError(t, serve(w.recv[0], body))
			if e == nil || e.Code != tc.code {
				t.Fatalf("answer %v, want %s", e, tc.code)
			}
			if n := body.n.Load(); n > tc.maxRead {
				t.Errorf("receiver read %d bytes of the %d byte upload before refusing, want at most %d", n, upload, tc.maxRead)
			}
			if len(w.deliveries()) != 0 {
				t.Error("a refused message was delivered")
			}
		})
	}
}

// TestReceiverLimitsUploadsPerPeer: with PeerUploads uploads of one party
// in progress, one more is answered 503 with Retry-After; once they end,
// the party may upload again.
func TestReceiverLimitsUploadsPerPeer(t *testing.T) {
	w := newWorld(t, 1)
	r := w.recv[0]
	r.Limits.PeerUploads = 2
	env := w.signedEnvelope(userMessage("slow@x", "ev@x", false), w.lvID)
	var pipes []*io.PipeWriter
	answers := make(chan *httptest.ResponseRecorder, 2)
	for range 2 {
		pr, pw := io.Pipe()
		pipes = append(pipes, pw)
		go func() { answers <- serve(r, uploadBody(env, "ev@x", pr, 8<<20)) }()
		// A write of 1 MiB of attachment returns only once the receiver
		// is spooling, past its admission.
		if _, err := pw.Write(make([]byte, 1<<20)); err != nil {
			t.Fatal(err)
		}
	}
	busy := serve(r, uploadBody(env, "ev@x", filler{}, 1<<10))
	if busy.Code != http.StatusServiceUnavailable || busy.Header().Get("Retry-After") == "" {
		t.Fatalf("third upload: HTTP %d (Retry-After %q) %s, want 503 with Retry-After", busy.Code, busy.Header().Get("Retry-After"), busy.Body)
	}
	for _, pw := range pipes {
		pw.CloseWithError(io.ErrUnexpectedEOF)
	}
	for range pipes {
		select {
		case <-answers:
		case <-time.After(10 * time.Second):
			t.Fatal("an upload did not end")
		}
	}
	again := serve(r, uploadBody(env, "ev@x", filler{}, 1<<10))
	if again.Code == http.StatusServiceUnavailable {
		t.Fatalf("after the uploads ended: HTTP 503 %s", again.Body)
	}
}

// TestSmallMessagesNeedNoUploadSlot: while a party's upload slots are all
// taken by large uploads, its small messages (a declared length that stays
// in memory) still get their receipts: the slots bound the disk spooled
// attachments may fill, and a 503 would hold a small message until the
// sender's next retry (a minute with the default P-Mode).
func TestSmallMessagesNeedNoUploadSlot(t *testing.T) {
	w := newWorld(t, 1)
	w.noRecord.Store(true)
	r := w.recv[0]
	r.Limits.PeerUploads = 1
	pr, pw := io.Pipe()
	defer pw.CloseWithError(io.ErrUnexpectedEOF)
	go serve(r, uploadBody(w.signedEnvelope(userMessage("slow@x", "ev@x", false), w.lvID), "ev@x", pr, 8<<20))
	if _, err := pw.Write(make([]byte, 1<<20)); err != nil { // the slot is taken
		t.Fatal(err)
	}
	if busy := serve(r, uploadBody(w.signedEnvelope(userMessage("slow2@x", "ev@x", false), w.lvID), "ev@x", filler{}, 1<<10)); busy.Code != http.StatusServiceUnavailable {
		t.Fatalf("an upload of unknown length while the slot is taken: HTTP %d, want 503", busy.Code)
	}
	w.pm.Reliability.RetryCount = 0
	res, err := w.memSender().Send(context.Background(), querySubmission(payload("q@x", as4.MimeEbRS, []byte("<query/>"))))
	if err != nil {
		t.Fatalf("small message while the party's upload slot is taken: %v", err)
	}
	if res.Attempts != 1 || len(w.deliveries()) != 1 {
		t.Fatalf("%d attempts, %d deliveries; want 1 and 1", res.Attempts, len(w.deliveries()))
	}
}

// TestUploadSlotsHoldAcrossAccessPoints: a sender may not double its
// uploads by sending to both of a party's access points; with a shared
// UploadSlots, the second access point answers 503 while the first holds
// the sender's only slot.
func TestUploadSlotsHoldAcrossAccessPoints(t *testing.T) {
	w := newWorld(t, 2)
	slots := &as4.UploadSlots{}
	for _, r := range w.recv {
		r.Limits.PeerUploads = 1
		r.Uploads = slots
	}
	env := w.signedEnvelope(userMessage("slow@x", "ev@x", false), w.lvID)
	pr, pw := io.Pipe()
	answered := make(chan struct{})
	go func() { serve(w.recv[0], uploadBody(env, "ev@x", pr, 8<<20)); close(answered) }()
	if _, err := pw.Write(make([]byte, 1<<20)); err != nil { // the first access point spools
		t.Fatal(err)
	}
	busy := serve(w.recv[1], uploadBody(env, "ev@x", filler{}, 1<<10))
	if busy.Code != http.StatusServiceUnavailable {
		t.Fatalf("upload to the second access point while the first holds the slot: HTTP %d %s, want 503", busy.Code, busy.Body)
	}
	pw.CloseWithError(io.ErrUnexpectedEOF)
	select {
	case <-answered:
	case <-time.After(10 * time.Second):
		t.Fatal("the first upload did not end")
	}
	if again := serve(w.recv[1], uploadBody(env, "ev@x", filler{}, 1<<10)); again.Code == http.StatusServiceUnavailable {
		t.Fatalf("after the first upload ended: HTTP 503 %s", again.Body)
	}
}
