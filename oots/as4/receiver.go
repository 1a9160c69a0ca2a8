package as4

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/beevik/etree"
	"github.com/vienreiz/vienreiz/oots/as4/keys"
	"github.com/vienreiz/vienreiz/oots/as4/pmode"
	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

// Delivery is a received user message handed to the Receiver's callback.
// The payload files are removed when the callback returns: copy what you
// keep.
type Delivery struct {
	Message *UserMessage
	PMode   *pmode.PMode
	From    *pmode.Party
	// Signer is the certificate that signed the message (nil if unsigned).
	Signer *x509.Certificate
	// Payloads are decrypted and decompressed, in eb:PayloadInfo order,
	// with the MIME type from the MimeType part property.
	Payloads []Payload
}

// Receiver is the receiving side of the MSH, an http.Handler. Several
// Receivers (listeners in two data centres) may share one DuplicateStore.
type Receiver struct {
	Config   *pmode.Config
	Identity keys.Identity
	// Trust verifies the signatures of incoming messages.
	Trust *keys.TrustStore
	// Security signs, verifies and decrypts; nil means WSS().
	Security Security
	// Duplicates remembers received MessageIds; required when a P-Mode
	// asks for duplicate detection.
	Duplicates DuplicateStore
	// Deliver is called once per new message; an error makes the answer
	// EBMS:0202 DeliveryFailure and lets a retry deliver again.
	Deliver func(ctx context.Context, d *Delivery) error
	// Limits bound the request; zero fields take the defaults.
	Limits Limits
	// SpoolDir holds temporary payload files ("" = os.TempDir).
	SpoolDir string
	// Lease is how long a claim on a MessageId blocks other listeners
	// (default 5 min); InProgressWait is how long a duplicate waits for
	// the first copy's receipt before answering 503 (default 2 s).
	Lease, InProgressWait time.Duration
	Logger                *slog.Logger
	Now                   func() time.Time
	// VerifyAt is the time at which signer certificates are checked;
	// nil means Now. Set it to re-verify a saved message at the time it
	// was received, whatever the message clock says.
	VerifyAt func() time.Time
	Rand     io.Reader
	// Uploads counts the uploads in progress per sender (Limits.PeerUploads);
	// give the receivers of one party's access points the same. Nil: this
	// receiver counts its own.
	Uploads *UploadSlots

	files      FilePool
	bufs       readerPool
	ownUploads UploadSlots
}

func (r *Receiver) logger() *slog.Logger {
	if r.Logger != nil {
		return r.Logger
	}
	return slog.Default()
}

func (r *Receiver) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// verifyAt is the time for certificate checks (VerifyAt, else now).
func (r *Receiver) verifyAt() time.Time {
	if r.VerifyAt != nil {
		return r.VerifyAt()
	}
	return r.now()
}

// ServeHTTP receives one AS4 message and answers synchronously with a
// receipt or an ebMS error signal.
func (r *Receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "AS4 endpoint: POST only", http.StatusMethodNotAllowed)
		return
	}
	spool := &Spool{Dir: r.SpoolDir, Pool: &r.files}
	defer spool.Cleanup()
	req.Body = http.MaxBytesReader(w, req.Body, r.Limits.withDefaults().Message)
	var matched *pmode.PMode // the message's P-Mode, once known: our error signal is signed as its receipts are
	answer, err := r.receive(req.Context(), req, spool, &matched)
	var busy *busyError
	var full *peerBusyError
	switch {
	case errors.As(err, &busy), errors.As(err, &full):
		w.Header().Set("Retry-After", "5")
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	case err != nil:
		e := AsError(err, "", ErrOther)
		r.logger().Warn("as4 message rejected", "code", e.Code, "message", e.RefToMessageInError, "err", err)
		if errors.Is(e, ErrOther) {
			// Internal trouble (storage, configuration): no details to the peer.
			e = ErrOther.Withf(e.RefToMessageInError, "internal error at the receiving access point")
		}
		if answer, err = r.errorSignal(e, matched); err != nil {
			r.logger().Error("as4 error signal", "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
	}
	w.Header().Set("Content-Type", MimeSOAP12+"; charset=UTF-8")
	w.WriteHeader(http.StatusOK)
	w.Write(answer)
}

// busyError answers a duplicate whose first copy is still in progress.
type busyError struct{ id string }

func (b *busyError) Error() string { return "message " + b.id + " is being processed; retry later" }

// inbound is the state of one message while it is received.
type inbound struct {
	// declared is the request's Content-Length (-1: not given).
	declared int64
	doc      *etree.Document
	user     *UserMessage
	pm       *pmode.PMode
	from     *pmode.Party
	parts    []Part
	signer   *x509.Certificate
	refs     []*etree.Element
	// verifyParts finishes the signature check admit began (nil: Verify
	// checks it all).
	verifyParts partsVerifier
}

// receive runs the receive pipeline and returns the receipt to send.
func (r *Receiver) receive(ctx context.Context, req *http.Request, spool *Spool, matched **pmode.PMode) ([]byte, error) {
	lim := r.Limits.withDefaults()
	msg, err := openMIME(req.Body, req.Header.Get("Content-Type"), lim, &r.bufs)
	if err != nil {
		return nil, err
	}
	defer msg.close()
	doc, err := xmlsafe.ParseBytes(msg.envelope)
	if err != nil {
		return nil, ErrInvalidHeader.Withf("", "SOAP envelope: %v", err)
	}
	m, err := ParseEnvelope(doc)
	if err != nil {
		return nil, err
	}
	if m.User == nil {
		return nil, ErrFeatureNotSupported.Withf(m.Signals[0].MessageID, "signal messages are only accepted as synchronous responses")
	}
	in := &inbound{doc: doc, user: m.User, declared: req.ContentLength}
	id := in.user.MessageID
	if err := r.matchPMode(in); err != nil {
		return nil, AsError(err, id, ErrProcessingModeMismatch)
	}
	*matched = in.pm
	release, err := r.admit(in)
	if err != nil {
		return nil, err
	}
	defer release()
	rec := &receiptRecord{}
	receipt, settle := r.startReceipt(in, rec)
	defer settle()
	if !in.pm.Reliability.DuplicateDetection {
		if err := r.readAndSecure(msg, in, spool); err != nil {
			return nil, err
		}
		if err := r.process(ctx, in, spool); err != nil {
			return nil, err
		}
		return receipt()
	}
	if r.Duplicates == nil {
		return nil, ErrOther.Withf(id, "duplicate detection required by P-Mode %q but no store configured", in.pm.ID)
	}
	// The MessageId is claimed while the message is decrypted and its
	// signature finished: the claim's commit no longer waits in line
	// after the crypto (issue 16 item 2). A message that then fails gives
	// its claim back, as one failing delivery does.
	claim := r.startClaim(ctx, id)
	if err := r.readAndSecure(msg, in, spool); err != nil {
		if c := <-claim; c.fresh {
			r.release(ctx, id)
		}
		return nil, err
	}
	c := <-claim
	stored, fresh, err := c.stored, c.fresh, c.err
	if err != nil || !fresh {
		if stored == nil {
			return nil, err
		}
		r.logger().Info("as4 duplicate message; receipt sent again", "message", id)
		if !bytes.HasPrefix(stored, []byte(receiptRecordPrefix)) {
			return stored, nil // a whole receipt, as stored before receipt records
		}
		first, ok := parseReceiptRecord(stored)
		if !ok {
			return nil, ErrOther.Withf(id, "duplicate store holds an unreadable receipt record %q", stored)
		}
		return r.receipt(in, &first)
	}
	if err := r.process(ctx, in, spool); err != nil {
		r.release(ctx, id)
		return nil, err
	}
	signed, err := receipt()
	if err != nil {
		return nil, err // not completed: the claim's lease lets a resend try again
	}
	if err := r.Duplicates.Complete(context.WithoutCancel(ctx), id, rec.bytes()); err != nil {
		r.logger().Error("as4 duplicate store complete", "message", id, "err", err)
	}
	return signed, nil
}

// startReceipt builds and signs the receipt for in, named by rec, while
// the message is decrypted, checked and stored, so that its RSA signature
// runs beside the decryption's instead of after it (issue 16 item 2).
// That needs the signed references, which admit knows when the Security
// checks the envelope first; without them the receipt is built when asked
// for. receipt waits for it; settle waits for the work to end, so that
// none outlives the request. The receiver sends the receipt only once the
// message was checked and stored; a message that fails drops it unsent.
func (r *Receiver) startReceipt(in *inbound, rec *receiptRecord) (receipt func() ([]byte, error), settle func()) {
	if in.pm.Security.NonRepudiation && in.pm.Security.Sign && in.refs == nil {
		return func() ([]byte, error) { return r.receipt(in, rec) }, func() {}
	}
	done := make(chan struct{})
	var signed []byte
	var err error
	admitted := *in // what admit knew: readAndSecure changes in meanwhile
	go func() {
		defer close(done)
		signed, err = r.receipt(&admitted, rec)
	}()
	receipt = func() ([]byte, error) {
		<-done
		return signed, err
	}
	return receipt, func() { <-done }
}

// readAndSecure reads the attachments of in, then decrypts and verifies
// them per its P-Mode.
func (r *Receiver) readAndSecure(msg *mimeMessage, in *inbound, spool *Spool) error {
	var err error
	if in.parts, err = r.readAttachments(msg, in, spool); err != nil {
		return err
	}
	if err := r.secure(in, spool); err != nil {
		return AsError(err, in.user.MessageID, ErrPolicyNoncompliance)
	}
	return nil
}

// claimResult is what claim returns.
type claimResult struct {
	stored []byte
	fresh  bool
	err    error
}

// startClaim runs claim in its own goroutine; its result arrives on the
// channel.
func (r *Receiver) startClaim(ctx context.Context, id string) <-chan claimResult {
	ch := make(chan claimResult, 1)
	go func() {
		stored, fresh, err := r.claim(ctx, id)
		ch <- claimResult{stored, fresh, err}
	}()
	return ch
}

// release gives back a claim whose message was not processed, so that a
// retry is processed again.
func (r *Receiver) release(ctx context.Context, id string) {
	if err := r.Duplicates.Release(context.WithoutCancel(ctx), id); err != nil {
		r.logger().Error("as4 duplicate store release", "message", id, "err", err)
	}
}

// claim takes the MessageId in the duplicate store. A duplicate of a done
// message returns what was stored for it; one in progress waits a little for
// it, then reports busy.
func (r *Receiver) claim(ctx context.Context, id string) (receipt []byte, fresh bool, err error) {
	lease := r.Lease
	if lease <= 0 {
		lease = 5 * time.Minute
	}
	wait := r.InProgressWait
	if wait <= 0 {
		wait = 2 * time.Second
	}
	deadline := time.Now().Add(wait)
	for {
		state, receipt, err := r.Duplicates.Claim(ctx, id, lease)
		if err != nil {
			return nil, false, ErrOther.Withf(id, "duplicate store: %v", err)
		}
		switch state {
		case Fresh:
			return nil, true, nil
		case Done:
			return receipt, false, nil
		}
		if time.Now().After(deadline) {
			return nil, false, &busyError{id: id}
		}
		if err := sleep(ctx, 50*time.Millisecond); err != nil {
			return nil, false, err
		}
	}
}

// matchPMode finds the sender party and the P-Mode of an inbound message:
// the From party must be known, the To party must be us, and a P-Mode
// must have them as initiator and responder with this service and action.
func (r *Receiver) matchPMode(in *inbound) error {
	u := in.user
	for _, id := range u.From.IDs {
		if p := r.Config.PartyByID(id.Value, id.Type); p != nil {
			in.from = p
			break
		}
	}
	if in.from == nil {
		return ErrValueInconsistent.Withf(u.MessageID, "unknown sender party %s", formatIDs(u.From.IDs))
	}
	self, err := r.Config.Party(r.Config.Self)
	if err != nil {
		return ErrOther.Withf(u.MessageID, "receiver configuration: %v", err)
	}
	toUs := false
	for _, id := range u.To.IDs {
		if p := r.Config.PartyByID(id.Value, id.Type); p == self {
			toUs = true
		}
	}
	if !toUs {
		return ErrValueInconsistent.Withf(u.MessageID, "message is addressed to %s, not to us", formatIDs(u.To.IDs))
	}
	var found []*pmode.PMode
	for _, pm := range r.Config.PModes {
		if pm.Initiator.Party == in.from.Name && pm.Responder.Party == self.Name && pm.HasLeg(u.Service, u.Action) &&
			(u.Agreement == "" || pm.Agreement == "" || u.Agreement == pm.Agreement) {
			found = append(found, pm)
		}
	}
	// AgreementRef/@pmode names the sender's P-Mode, whose id need not be
	// ours (Domibus uses local names): it only settles a tie.
	if len(found) > 1 && u.PModeID != "" {
		var byID []*pmode.PMode
		for _, pm := range found {
			if pm.ID == u.PModeID {
				byID = append(byID, pm)
			}
		}
		if len(byID) > 0 {
			found = byID
		}
	}
	if len(found) != 1 {
		return ErrProcessingModeMismatch.Withf(u.MessageID, "%d P-Modes for %s -> %s, service %q, action %q",
			len(found), in.from.Name, self.Name, u.Service, u.Action)
	}
	in.pm = found[0]
	if role := in.pm.Initiator.Role; role != "" && role != u.From.Role {
		return ErrProcessingModeMismatch.Withf(u.MessageID, "sender role %q, P-Mode %q expects %q", u.From.Role, in.pm.ID, role)
	}
	return nil
}

func formatIDs(ids []PartyID) string {
	s := ""
	for i, id := range ids {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%q (type %q)", id.Value, id.Type)
	}
	return s
}

// secure decrypts and verifies per the P-Mode: a message that should be
// signed or encrypted and is not is a policy failure.
func (r *Receiver) secure(in *inbound, spool *Spool) error {
	sec := in.pm.Security
	id := in.user.MessageID
	if sec.Encrypt {
		parts, err := r.security().Decrypt(in.doc, in.parts, r.Identity, spool.File)
		yieldAfterRSA()
		if err != nil {
			return AsError(err, id, ErrFailedDecryption)
		}
		in.parts = parts
	}
	if sec.Sign {
		verify := in.verifyParts
		if verify == nil {
			verify = func(parts []Part) (*x509.Certificate, []*etree.Element, error) {
				return r.security().Verify(in.doc, parts, r.Trust, r.verifyAt())
			}
		}
		cert, refs, err := verify(in.parts)
		if err != nil {
			return AsError(err, id, ErrFailedAuthentication)
		}
		if in.from.Cert != nil && !cert.Equal(in.from.Cert) {
			return ErrFailedAuthentication.Withf(id, "signed by %q, which is not the certificate of party %q", cert.Subject, in.from.Name)
		}
		in.signer, in.refs = cert, refs
	}
	return nil
}

func (r *Receiver) security() Security {
	if r.Security != nil {
		return r.Security
	}
	return WSS()
}
