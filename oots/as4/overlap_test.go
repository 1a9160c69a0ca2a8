package as4_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/beevik/etree"

	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/as4/keys"
	"github.com/vienreiz/vienreiz/oots/as4/pmode"
	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

// signal is closed once, by the first of any number of callers.
type signal struct {
	once sync.Once
	ch   chan struct{}
}

func newSignal() *signal { return &signal{ch: make(chan struct{})} }

func (s *signal) fire() { s.once.Do(func() { close(s.ch) }) }

// wait reports whether the signal fired within a few seconds.
func (s *signal) wait() bool {
	select {
	case <-s.ch:
		return true
	case <-time.After(5 * time.Second):
		return false
	}
}

// signSpy fires signed after each signature.
type signSpy struct {
	as4.Security
	signed *signal
}

func (s signSpy) Sign(env *etree.Document, parts []as4.Part, id keys.Identity, alg pmode.Security) error {
	err := s.Security.Sign(env, parts, id, alg)
	s.signed.fire()
	return err
}

// outboxAfterSign commits an Add only once the message was signed, which
// can only happen when the two run at the same time.
type outboxAfterSign struct {
	as4.Outbox
	signed *signal
	added  atomic.Bool
}

func (o *outboxAfterSign) Add(ctx context.Context, e as4.OutboxEntry) error {
	if !o.signed.wait() {
		return errors.New("the message was not signed while its outbox entry was added")
	}
	if err := o.Outbox.Add(ctx, e); err != nil {
		return err
	}
	o.added.Store(true)
	return nil
}

// TestSendSignsWhileTheOutboxCommits: Send builds and signs the message
// while its outbox entry is committed, and posts it only after the entry
// is in the outbox.
func TestSendSignsWhileTheOutboxCommits(t *testing.T) {
	w := newWorld(t, 1)
	signed := newSignal()
	outbox := &outboxAfterSign{Outbox: as4.NewMemStore(), signed: signed}
	var postedEarly atomic.Bool
	h := w.servers[0].Config.Handler
	w.servers[0].Config.Handler = http.HandlerFunc(func(rw http.ResponseWriter, req *http.Request) {
		postedEarly.Store(postedEarly.Load() || !outbox.added.Load())
		h.ServeHTTP(rw, req)
	})
	s := w.sender(outbox, t.TempDir())
	s.Security = signSpy{Security: as4.WSS(), signed: signed}
	if _, err := s.Send(context.Background(), querySubmission(payload("p@x", as4.MimeEbRS, []byte("<q/>")))); err != nil {
		t.Fatal(err)
	}
	if postedEarly.Load() {
		t.Error("the message was posted before its outbox entry was added")
	}
	if n := len(w.deliveries()); n != 1 {
		t.Errorf("%d deliveries, want 1", n)
	}
}

// TestSendRefusedByOutboxPostsNothing: a message the outbox refuses (its
// MessageId is queued already) is built but never posted, and leaves no
// files.
func TestSendRefusedByOutboxPostsNothing(t *testing.T) {
	w, s, _, again := queuedOnce(t)
	if _, err := s.Send(context.Background(), again); !errors.Is(err, as4.ErrExists) {
		t.Fatalf("Send of a queued MessageId: %v, want ErrExists", err)
	}
	w.mu.Lock()
	posted := len(w.requests)
	w.mu.Unlock()
	if posted != 0 {
		t.Errorf("%d requests posted for a refused message", posted)
	}
	if left, _ := filepath.Glob(filepath.Join(s.Dir, "*")); len(left) != 1 {
		t.Errorf("outbox folders %v, want only the queued message's", left)
	}
}

// claimSpy fires claimed when a claim starts.
type claimSpy struct {
	as4.DuplicateStore
	claimed *signal
}

func (c claimSpy) Claim(ctx context.Context, id string, lease time.Duration) (as4.ClaimState, []byte, error) {
	c.claimed.fire()
	return c.DuplicateStore.Claim(ctx, id, lease)
}

// decryptAfterClaim decrypts only once a claim started, which can only
// happen when the two run at the same time; with fail set, its next
// Decrypt fails.
type decryptAfterClaim struct {
	as4.Security
	claimed *signal
	fail    *atomic.Bool
}

func (d decryptAfterClaim) Decrypt(env *etree.Document, parts []as4.Part, id keys.Identity, spool func() (*os.File, error)) ([]as4.Part, error) {
	if !d.claimed.wait() {
		return nil, errors.New("the message was not claimed while it was decrypted")
	}
	if d.fail.Swap(false) {
		return nil, errors.New("decryption failed (test)")
	}
	return d.Security.Decrypt(env, parts, id, spool)
}

// TestReceiverClaimsWhileDecrypting: the receiver claims the MessageId
// while it decrypts the message, and a message that fails after the claim
// gives it back: its retry is delivered at once, not answered "in
// progress".
func TestReceiverClaimsWhileDecrypting(t *testing.T) {
	w := newWorld(t, 1)
	claimed, fail := newSignal(), &atomic.Bool{}
	r := w.recv[0]
	r.Duplicates = claimSpy{DuplicateStore: r.Duplicates, claimed: claimed}
	r.Security = decryptAfterClaim{Security: as4.WSS(), claimed: claimed, fail: fail}
	r.InProgressWait = 100 * time.Millisecond
	fail.Store(true)
	s := w.memSender()
	_, err := s.Send(context.Background(), querySubmission(payload("p@x", as4.MimeEbRS, []byte("<q/>"))))
	if !errors.Is(err, as4.ErrFailedDecryption) {
		t.Fatalf("Send with a failing decryption: %v, want EBMS:0102", err)
	}
	req := w.lastRequest()
	_, m, raw := post(t, w.servers[0].URL, req.contentType, req.body)
	if m == nil || m.Signals[0].Receipt == nil {
		t.Fatalf("the retry of a message that failed decryption got no receipt: %v %.300s", ebmsError(m), raw)
	}
	if n := len(w.deliveries()); n != 1 {
		t.Errorf("%d deliveries, want 1", n)
	}
	// A duplicate is still answered with the receipt, not delivered again.
	if _, m, raw := post(t, w.servers[0].URL, req.contentType, req.body); m == nil || m.Signals[0].Receipt == nil {
		t.Fatalf("duplicate: %s", raw)
	}
	if n := len(w.deliveries()); n != 1 {
		t.Errorf("%d deliveries after a duplicate, want 1", n)
	}
}

// yieldSpy starts a goroutine in Sign and counts in Encrypt the messages
// for which it ran in between.
type yieldSpy struct {
	as4.Security
	ran        atomic.Bool
	ranBetween atomic.Int32
}

func (y *yieldSpy) Sign(env *etree.Document, parts []as4.Part, id keys.Identity, alg pmode.Security) error {
	err := y.Security.Sign(env, parts, id, alg)
	y.ran.Store(false)
	go y.ran.Store(true)
	return err
}

func (y *yieldSpy) Encrypt(env *etree.Document, parts []as4.Part, recipient *x509.Certificate, alg pmode.Security, rnd io.Reader) ([]as4.Part, error) {
	if y.ran.Load() {
		y.ranBetween.Add(1)
	}
	return y.Security.Encrypt(env, parts, recipient, alg, rnd)
}

// TestSenderYieldsAfterSigning: after its RSA signature the sender lets
// waiting goroutines run (on one processor, a goroutine started during the
// signature runs before encryption starts), so that a store writer back
// from its fsync does not wait for the crypto to be preempted. The
// scheduler now and then runs the yielding goroutine again first (it
// takes from its global queue every 61st time), so most messages, not
// all, must show it; without the yield next to none do.
func TestSenderYieldsAfterSigning(t *testing.T) {
	w := newWorld(t, 1)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	s := w.memSender()
	spy := &yieldSpy{Security: as4.WSS()}
	s.Security = spy
	const messages = 6
	for range messages {
		if _, err := s.Send(context.Background(), querySubmission(payload("p@x", as4.MimeEbRS, []byte("<q/>")))); err != nil {
			t.Fatal(err)
		}
	}
	if n := spy.ranBetween.Load(); n < messages/2 {
		t.Errorf("another goroutine ran between signing and encrypting for %d of %d messages, want most", n, messages)
	}
}

// heldFinish is an Outbox whose queued outcomes wait for release; with
// drop, they are never written (the process died first).
type heldFinish struct {
	as4.Outbox
	release chan struct{}
	drop    bool
	queued  atomic.Int32
}

func (h *heldFinish) QueueFinish(ctx context.Context, id, status, detail string, done func(error)) {
	h.queued.Add(1)
	go func() {
		<-h.release
		if h.drop {
			return
		}
		done(h.Outbox.Finish(ctx, id, status, detail))
	}()
}

// TestSendReturnsBeforeSentIsCommitted: Send returns with the receipt
// while the outbox still commits the message's "sent"; Resume leaves the
// message meanwhile. When the process dies before that commit, the
// restarted sender sends the message again and the receiver's duplicate
// elimination answers with its first receipt: delivered once.
func TestSendReturnsBeforeSentIsCommitted(t *testing.T) {
	w := newWorld(t, 1)
	ctx := context.Background()
	store := as4.NewMemStore()
	dir := t.TempDir()
	outbox := &heldFinish{Outbox: store, release: make(chan struct{}), drop: true}
	s := w.sender(outbox, dir)
	posts := func() int {
		w.mu.Lock()
		defer w.mu.Unlock()
		return len(w.requests)
	}
	sent := make(chan error, 1)
	go func() {
		_, err := s.Send(ctx, querySubmission(payload("q@lv", as4.MimeEbRS, []byte("<q/>"))))
		sent <- err
	}()
	select {
	case err := <-sent:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Send waited for the outbox to commit its outcome")
	}
	if outbox.queued.Load() != 1 {
		t.Fatalf("%d outcomes queued, want 1", outbox.queued.Load())
	}
	if err := s.Resume(ctx); err != nil {
		t.Fatalf("Resume while the outcome is queued: %v", err)
	}
	if n := posts(); n != 1 {
		t.Fatalf("%d posts before the crash, want 1 (Resume took the acknowledged message)", n)
	}

	close(outbox.release) // the process dies: the queued "sent" is lost
	pending, err := store.Pending(ctx, 0)
	if err != nil || len(pending) != 1 {
		t.Fatalf("pending after the crash: %d, %v; want the message", len(pending), err)
	}
	restarted := w.sender(store, dir)
	if err := restarted.Resume(ctx); err != nil {
		t.Fatalf("Resume after the crash: %v", err)
	}
	if n := posts(); n != 2 {
		t.Fatalf("%d posts after the restart, want 2", n)
	}
	if n := len(w.deliveries()); n != 1 {
		t.Fatalf("delivered %d times, want once", n)
	}
	if pending, err = store.Pending(ctx, 0); err != nil || len(pending) != 0 {
		t.Fatalf("pending after the resend: %d, %v; want none", len(pending), err)
	}
}

// keySpy is a receiver's RSA key whose signatures fire signed and whose
// decryptions wait for a signature: they can only succeed when the
// receipt is signed while the message is decrypted.
type keySpy struct {
	*rsa.PrivateKey
	signed *signal
}

func (k keySpy) Sign(rnd io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	k.signed.fire()
	return k.PrivateKey.Sign(rnd, digest, opts)
}

func (k keySpy) Decrypt(rnd io.Reader, msg []byte, opts crypto.DecrypterOpts) ([]byte, error) {
	if !k.signed.wait() {
		return nil, errors.New("no receipt was signed while the message was decrypted")
	}
	return k.PrivateKey.Decrypt(rnd, msg, opts)
}

// TestReceiverSignsReceiptWhileDecrypting: the receiver signs its receipt
// while it decrypts and stores the message (the two RSA operations run
// side by side), and sends it only for a message that passed: one whose
// attachment does not match its signed digest gets an error, not the
// receipt signed meanwhile.
func TestReceiverSignsReceiptWhileDecrypting(t *testing.T) {
	w := newWorld(t, 1)
	r := w.recv[0]
	key, ok := r.Identity.Key.(*rsa.PrivateKey)
	if !ok {
		t.Fatalf("receiver key %T, want RSA", r.Identity.Key)
	}
	r.Identity.Key = keySpy{PrivateKey: key, signed: newSignal()}
	s := w.memSender()
	res, err := s.Send(context.Background(), querySubmission(payload("p@x", as4.MimeEbRS, []byte("<q/>"))))
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if res.Receipt == nil || len(w.deliveries()) != 1 {
		t.Fatalf("receipt %v, %d deliveries; want a receipt and one delivery", res.Receipt, len(w.deliveries()))
	}

	// A message whose encrypted attachment was changed on the way: its
	// receipt is signed beside the decryption, then dropped.
	ct, body := w.craft(userMessage("tamper@lv", "p@x", true), []as4.Part{as4.BytesPart("p@x", as4.MimeEbRS, []byte("<q/>"))},
		craftOpts{sign: true, encrypt: true, signer: w.lvID})
	i := bytes.LastIndex(body, []byte("--crafted--")) - 5
	body[i] ^= 0xff
	_, m, raw := post(t, w.servers[0].URL, ct, body)
	if e := ebmsError(m); e == nil || !errors.Is(e, as4.ErrFailedDecryption) || m.Signals[0].Receipt != nil {
		t.Fatalf("a tampered message was answered %.400s; want EBMS:0102", raw)
	}
	if n := len(w.deliveries()); n != 1 {
		t.Errorf("%d deliveries after the tampered message, want 1", n)
	}
}

// TestFailedSendIsMarkedBeforeSendReturns: a message the receiver refuses
// is marked failed before Send returns its error, even by an outbox that
// can queue the mark (a sent one it queues): sent again after a crash, it
// could be delivered after its sender was told it failed.
func TestFailedSendIsMarkedBeforeSendReturns(t *testing.T) {
	w := newWorld(t, 1)
	w.deliver = func(context.Context, *as4.Delivery) error { return errors.New("the back office is closed (test)") }
	ctx := context.Background()
	store := as4.NewMemStore()
	outbox := &heldFinish{Outbox: store, release: make(chan struct{})}
	defer close(outbox.release)
	s := w.sender(outbox, t.TempDir())
	_, err := s.Send(ctx, querySubmission(payload("q@lv", as4.MimeEbRS, []byte("<q/>"))))
	if !errors.Is(err, as4.ErrDeliveryFailure) {
		t.Fatalf("Send to a refusing receiver: %v, want EBMS:0004", err)
	}
	if n := outbox.queued.Load(); n != 0 {
		t.Fatalf("%d outcomes queued for a failed message, want it written", n)
	}
	if pending, err := store.Pending(ctx, 0); err != nil || len(pending) != 0 {
		t.Fatalf("pending after the failure: %d, %v; want none (marked failed)", len(pending), err)
	}
}

// gatedKey is a receiver's RSA key whose first signature (the receipt's)
// fires started and then waits for the gate to open; later ones (the
// error signal's) do not wait.
type gatedKey struct {
	*rsa.PrivateKey
	started *signal
	gate    chan struct{}
	first   *atomic.Bool
}

func (k gatedKey) Sign(rnd io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	if k.first.CompareAndSwap(true, false) {
		k.started.fire()
		<-k.gate
	}
	return k.PrivateKey.Sign(rnd, digest, opts)
}

// TestRefusedMessageWaitsForItsReceiptSignature: a message refused after
// its receipt began to be signed is answered only once that signature has
// ended: no work of a request outlives it (an authenticated peer sending
// bad messages cannot pile up signatures in the background).
func TestRefusedMessageWaitsForItsReceiptSignature(t *testing.T) {
	w := newWorld(t, 1)
	r := w.recv[0]
	key := gatedKey{PrivateKey: r.Identity.Key.(*rsa.PrivateKey), started: newSignal(), gate: make(chan struct{}), first: &atomic.Bool{}}
	key.first.Store(true)
	r.Identity.Key = key
	u := userMessage("zstd@lv", "p@x", false)
	u.Parts[0].Properties = append(u.Parts[0].Properties, as4.Property{Name: as4.PartPropCompression, Value: "application/zstd"})
	ct, body := w.craft(u, []as4.Part{as4.BytesPart("p@x", as4.MimeEbRS, []byte("<q/>"))},
		craftOpts{sign: true, encrypt: true, signer: w.lvID})
	answered := make(chan struct{})
	var raw []byte
	var postErr error
	go func() {
		defer close(answered)
		resp, err := http.Post(w.servers[0].URL, ct, bytes.NewReader(body))
		if err != nil {
			postErr = err
			return
		}
		defer resp.Body.Close()
		raw, postErr = io.ReadAll(resp.Body)
	}()
	if !key.started.wait() {
		t.Fatal("the receipt was not signed beside the processing")
	}
	select {
	case <-answered:
		t.Fatal("the refused message was answered while its receipt was still being signed")
	case <-time.After(200 * time.Millisecond):
	}
	close(key.gate)
	<-answered
	if postErr != nil {
		t.Fatal(postErr)
	}
	doc, err := xmlsafe.ParseBytes(raw)
	if err != nil {
		t.Fatalf("answer: %v\n%s", err, raw)
	}
	m, err := as4.ParseEnvelope(doc)
	if e := ebmsError(m); err != nil || e == nil || !errors.Is(e, as4.ErrValueNotRecognized) {
		t.Fatalf("answer %v (%v), want EBMS:0007 for the unknown compression\n%s", e, err, raw)
	}
}
