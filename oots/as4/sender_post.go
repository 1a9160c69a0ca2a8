package as4

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/beevik/etree"

	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

// errTransient marks a failed attempt worth retrying or failing over:
// connection errors, time-outs, HTTP responses without an ebMS signal.
var errTransient = errors.New("transient")

// post sends msg with failover over the responder's endpoints and retries
// with back-off per the P-Mode until a receipt arrives or the budget ends.
func (s *Sender) post(ctx context.Context, msg *outgoing, log *slog.Logger) (*Result, error) {
	rel := msg.pm.Reliability
	interval := rel.RetryInterval
	backoff := rel.BackoffFactor
	if backoff < 1 {
		backoff = 1
	}
	timeout := rel.ReceiptTimeout
	if timeout <= 0 {
		timeout = 2 * time.Minute
	}
	res := &Result{MessageID: msg.id}
	var last error
	for round := 0; round <= rel.RetryCount; round++ {
		if round > 0 {
			if err := sleep(ctx, interval); err != nil {
				return nil, fmt.Errorf("retry wait: %w (last attempt: %v)", err, last)
			}
			interval = time.Duration(float64(interval) * backoff)
		}
		for _, ep := range msg.responder.Endpoints {
			res.Attempts++
			sig, err := s.attempt(ctx, ep, msg, timeout)
			if err == nil {
				res.Receipt, res.Endpoint = sig, ep
				return res, nil
			}
			if !errors.Is(err, errTransient) {
				return nil, err
			}
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			last = err
			log.Warn("as4 attempt failed", "endpoint", ep, "round", round, "err", err)
		}
	}
	return nil, ErrMissingReceipt.With(msg.id, fmt.Errorf("no receipt after %d attempts: %w", res.Attempts, last))
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// attempt posts the message to one endpoint and checks the answer.
func (s *Sender) attempt(ctx context.Context, endpoint string, msg *outgoing, timeout time.Duration) (*SignalMessage, error) {
	if err := CheckEndpoint(endpoint); err != nil {
		return nil, fmt.Errorf("%w: %v", errTransient, err)
	}
	// The receipt time-out counts from the last byte sent: a large message
	// takes longer than that to upload, and timing the whole attempt made
	// it fail and be sent again and again. While uploading, every read of
	// the body restarts the time-out, so a stalled upload ends too. The
	// receiver decrypts, decompresses and stores what it got before it
	// answers, so the time-out grows with what was sent (receiverPace).
	actx, cancel := context.WithCancel(ctx)
	defer cancel()
	timer := time.AfterFunc(timeout, cancel)
	defer timer.Stop()
	var body io.Reader
	length := int64(-1)
	if msg.body != nil {
		body, length = bytes.NewReader(msg.body), int64(len(msg.body))
	} else {
		pr, pw := io.Pipe()
		defer pr.Close()
		go func() { pw.CloseWithError(WriteMIME(pw, msg.boundary, msg.envelope, msg.parts)) }()
		body = pr
	}
	req, err := http.NewRequestWithContext(actx, http.MethodPost, endpoint, &progressReader{r: body, timer: timer, d: timeout})
	if err != nil {
		return nil, fmt.Errorf("%w: request: %v", errTransient, err)
	}
	req.ContentLength = length
	req.Header.Set("Content-Type", MultipartContentType(msg.boundary))
	req.Header.Set("MIME-Version", "1.0")
	client := s.Client
	if client == nil {
		client = NewHTTPClient(nil)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", errTransient, endpoint, err)
	}
	defer resp.Body.Close()
	limit := s.ResponseLimit
	if limit <= 0 {
		limit = 1 << 20
	}
	spool := &Spool{Dir: s.Dir, Pool: &s.files}
	defer spool.Cleanup()
	env, _, err := readMIME(resp.Body, resp.Header.Get("Content-Type"), Limits{Envelope: limit, Part: limit, Parts: 4}, spool, &s.bufs)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: HTTP %d: %v", errTransient, endpoint, resp.StatusCode, err)
	}
	return s.checkResponse(env, msg, resp.StatusCode)
}

// checkResponse reads the synchronous answer: a receipt for our message
// (verified when the P-Mode signs), or an ebMS error.
func (s *Sender) checkResponse(env []byte, msg *outgoing, status int) (*SignalMessage, error) {
	doc, err := xmlsafe.ParseBytes(env)
	if err != nil {
		return nil, fmt.Errorf("%w: HTTP %d response: %v", errTransient, status, err)
	}
	m, err := ParseEnvelope(doc)
	if err != nil {
		return nil, fmt.Errorf("%w: HTTP %d response: %v", errTransient, status, err)
	}
	var receipt *SignalMessage
	for _, sig := range m.Signals {
		for _, e := range sig.Errors {
			if e.Severity != "failure" {
				continue
			}
			if msg.pm.Security.Sign {
				// Only a peer's signed error may end the message; anyone on
				// the path can answer with an unsigned one.
				if err := s.verifySigner(doc, msg); err != nil {
					s.logger().Warn("as4 error signal not authenticated: sent again as if no answer had come",
						"message", msg.id, "code", e.Code, "err", err)
					return nil, fmt.Errorf("%w: unauthenticated ebMS error %s: %v", errTransient, e.Code, err)
				}
			}
			return nil, e
		}
		if sig.Receipt != nil {
			receipt = sig
		}
	}
	if receipt == nil {
		return nil, fmt.Errorf("%w: HTTP %d response holds no receipt", errTransient, status)
	}
	if receipt.RefToMessageID != msg.id {
		return nil, ErrInvalidReceipt.Withf(msg.id, "receipt refers to %q", receipt.RefToMessageID)
	}
	sec := msg.pm.Security
	if sec.Sign {
		if err := s.verifySigner(doc, msg); err != nil {
			return nil, ErrInvalidReceipt.Withf(msg.id, "receipt %v", err)
		}
		if sec.NonRepudiation {
			if err := checkNRR(msg.sentRefs, receipt.Receipt.References); err != nil {
				return nil, ErrInvalidReceipt.With(msg.id, err)
			}
		}
	}
	return receipt, nil
}

// verifySigner checks the signature of a signal answering msg: valid,
// by a trusted certificate, and that of the party msg was sent to.
func (s *Sender) verifySigner(doc *etree.Document, msg *outgoing) error {
	cert, _, err := s.security().Verify(doc, nil, s.Trust, s.verifyAt())
	if err != nil {
		return fmt.Errorf("signature: %w", err)
	}
	if want := msg.responder.Cert; want != nil && !cert.Equal(want) {
		return fmt.Errorf("signed by %q, not by party %q", cert.Subject, msg.responder.Name)
	}
	return nil
}

// receiverPace is the rate, in bytes per second, at which a receiver is
// assumed to at least process a message after its last byte: the receipt
// time-out grows by 1 s per 4 MiB sent (a 1 GiB message: 256 s). This
// program's receiver answers a 24 MiB message at about 90 MiB/s after the
// last byte (14 MiB/s under the race detector), so a peer many times
// slower still answers in time and is not sent the message again. The
// growth also covers the bytes still in the sockets' buffers when the
// last one is read from the message, over a link faster than the pace;
// the P-Mode's time-out itself covers slower links.
const receiverPace = 4 << 20

// progressReader restarts timer on every read with d plus the time the
// receiver is allowed for the bytes read so far.
type progressReader struct {
	r     io.Reader
	timer *time.Timer
	d     time.Duration
	sent  int64
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.sent += int64(n)
	p.timer.Reset(p.d + time.Duration(float64(p.sent)/receiverPace*float64(time.Second)))
	return n, err
}
