package as4

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4/keys"
	"github.com/vienreiz/vienreiz/oots/as4/pmode"
)

// Sender is the sending side of the MSH. Fill the fields, then call Send
// (or Submit and Resume). It is safe for concurrent use.
type Sender struct {
	// Config selects the P-Mode and holds the parties; Config.Self is us.
	Config *pmode.Config
	// Identity signs our messages.
	Identity keys.Identity
	// Trust verifies the signatures of receipts.
	Trust *keys.TrustStore
	// Security signs, encrypts and verifies receipts; nil means WSS().
	Security Security
	// Outbox persists accepted messages, Dir their payload files. Both
	// must survive restarts for the crash guarantee.
	Outbox Outbox
	Dir    string
	// Client posts the messages; nil means NewHTTPClient(nil).
	Client *http.Client
	// ResponseLimit bounds the SOAP response read; 0 means 1 MiB.
	ResponseLimit int64
	// Logger, Now and Rand default to slog.Default, time.Now and crypto/rand.
	Logger *slog.Logger
	Now    func() time.Time
	Rand   io.Reader
	// VerifyAt is the time at which the recipient's and the receipts'
	// certificates are checked; nil means Now.
	VerifyAt func() time.Time
	// Observe, if set, is called with every submission the sender accepts
	// (a test hook: conformance tests collect the EDM payloads of whole
	// exchanges with it). It must not keep sub past the call; its payloads
	// may be opened.
	Observe func(sub *Submission)

	mu       sync.Mutex
	inflight map[string]bool
	gzip     gzipPool
	files    FilePool
	bufs     readerPool
}

// Result is the outcome of a message that got its receipt.
type Result struct {
	MessageID string
	Receipt   *SignalMessage
	Endpoint  string // the endpoint that answered
	Attempts  int    // HTTP posts made
}

func (s *Sender) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

func (s *Sender) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// verifyAt is the time for certificate checks (VerifyAt, else now).
func (s *Sender) verifyAt() time.Time {
	if s.VerifyAt != nil {
		return s.VerifyAt()
	}
	return s.now()
}

// Send accepts sub into the outbox and sends it, returning once a receipt
// arrived (Result), an ebMS error came back (*Error), the retry budget
// ended (ErrMissingReceipt) or ctx ended. When ctx ends first the message
// stays in the outbox and Resume sends it later.
//
// The message is built, signed and encrypted while its outbox entry is
// being committed, and posted only once the entry is durable: the commit
// (a disk sync, and a wait for the store's writer) no longer holds up the
// signature (issue 16 item 2).
func (s *Sender) Send(ctx context.Context, sub *Submission) (*Result, error) {
	rec, data, err := s.prepare(sub, true)
	if err != nil {
		return nil, err
	}
	added := make(chan error, 1)
	go func() { added <- s.add(ctx, rec, data) }()
	spool := &Spool{Dir: s.Dir, Pool: &s.files}
	defer spool.Cleanup()
	msg, buildErr := s.build(rec, spool)
	if err := <-added; err != nil {
		s.refuse(rec, true)
		return nil, err
	}
	return s.dispatch(ctx, rec, msg, buildErr)
}

// Submit accepts sub into the outbox and returns its MessageID without
// sending it; Resume sends it.
func (s *Sender) Submit(ctx context.Context, sub *Submission) (string, error) {
	rec, data, err := s.prepare(sub, false)
	if err != nil {
		return "", err
	}
	if err := s.add(ctx, rec, data); err != nil {
		s.refuse(rec, false)
		return "", err
	}
	return rec.MessageID, nil
}

// Resume sends every pending outbox entry, one after the other, and
// returns the errors of those that failed. Call it at start-up (after a
// crash) and periodically.
func (s *Sender) Resume(ctx context.Context) error {
	if s.Config == nil || s.Outbox == nil || s.Dir == "" {
		return errors.New("sender: Config, Outbox and Dir are required")
	}
	entries, err := s.Outbox.Pending(ctx, 0)
	if err != nil {
		return fmt.Errorf("resume: %w", err)
	}
	var errs []error
	for _, e := range entries {
		var rec outboxRecord
		if err := json.Unmarshal(e.Data, &rec); err != nil {
			errs = append(errs, fmt.Errorf("resume %s: outbox record: %w", e.MessageID, err))
			s.finished(&outboxRecord{MessageID: e.MessageID}, "failed",
				s.Outbox.Finish(context.WithoutCancel(ctx), e.MessageID, "failed", err.Error()))
			continue
		}
		if _, err := s.deliver(ctx, &rec); err != nil && !errors.Is(err, errBusy) {
			errs = append(errs, fmt.Errorf("resume %s: %w", e.MessageID, err))
		}
		if ctx.Err() != nil {
			break
		}
	}
	return errors.Join(errs...)
}

// Run calls Resume now and then every interval until ctx ends, logging
// failures; start it once per outbox (it returns ctx's error).
func (s *Sender) Run(ctx context.Context, interval time.Duration) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := s.Resume(ctx); err != nil && ctx.Err() == nil {
			s.logger().Error("as4 outbox resume", "err", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// prepare validates sub, picks its P-Mode, copies the payloads into the
// outbox folder and returns the message's outbox record and its encoding;
// the caller adds it to the outbox (or calls refuse).
//
// With claimed, the message is claimed for the caller before it enters the
// outbox, so that Resume (Run) cannot take it while the caller is about to
// post it itself (a Send then failed with errBusy); the caller unclaims it.
// A message claimed already fails with ErrExists.
func (s *Sender) prepare(sub *Submission, claimed bool) (*outboxRecord, []byte, error) {
	if s.Config == nil || s.Outbox == nil || s.Dir == "" {
		return nil, nil, errors.New("sender: Config, Outbox and Dir are required")
	}
	if err := sub.validate(); err != nil {
		return nil, nil, err
	}
	pm, err := s.Config.Find(sub.Service, sub.Action, sub.To)
	if err != nil {
		return nil, nil, fmt.Errorf("sender: %w", err)
	}
	if s.Observe != nil {
		s.Observe(sub)
	}
	rec := &outboxRecord{
		MessageID: sub.MessageID, ConversationID: sub.ConversationID, RefToMessageID: sub.RefToMessageID,
		PModeID: pm.ID, Service: sub.Service, Action: sub.Action, Timestamp: s.now().UTC(), Properties: sub.Properties,
	}
	if rec.MessageID == "" {
		if rec.MessageID, err = newID(s.Rand, s.Config.Self); err != nil {
			return nil, nil, err
		}
	}
	if rec.ConversationID == "" {
		if rec.ConversationID, err = newID(s.Rand, ""); err != nil {
			return nil, nil, err
		}
	}
	// Each acceptance gets its own folder, so a refused duplicate id never
	// touches the files of the message already in the outbox.
	if rec.Folder, err = newID(s.Rand, ""); err != nil {
		return nil, nil, err
	}
	dir := s.messageDir(rec)
	for i, p := range sub.Payloads {
		sp := storedPayload{ContentID: p.ContentID, MimeType: p.MimeType, Properties: p.Properties}
		if sp.ContentID == "" {
			if sp.ContentID, err = newID(s.Rand, "payload"); err != nil {
				return nil, nil, err
			}
		}
		if err := storePayload(&sp, p, dir, fmt.Sprintf("part%d", i), pm.MaxPayloadSize); err != nil {
			os.RemoveAll(dir)
			return nil, nil, fmt.Errorf("sender: payload %s: %w", sp.ContentID, err)
		}
		rec.Payloads = append(rec.Payloads, sp)
	}
	data, err := json.Marshal(rec)
	if err != nil {
		return nil, nil, fmt.Errorf("sender: outbox record: %w", err)
	}
	if claimed && !s.claim(rec.MessageID) {
		// Resume is posting it, or another Send has it: either way the
		// outbox holds it (a caller taking a job up again after a crash
		// asks what became of it).
		os.RemoveAll(dir)
		return nil, nil, fmt.Errorf("sender %s: %w: %w", rec.MessageID, errBusy, ErrExists)
	}
	return rec, data, nil
}

// add records a prepared message in the outbox.
func (s *Sender) add(ctx context.Context, rec *outboxRecord, data []byte) error {
	if err := s.Outbox.Add(ctx, OutboxEntry{MessageID: rec.MessageID, Data: data, Created: rec.Timestamp}); err != nil {
		return fmt.Errorf("sender: %w", err)
	}
	return nil
}

// refuse undoes prepare for a message the outbox did not take.
func (s *Sender) refuse(rec *outboxRecord, claimed bool) {
	if claimed {
		s.unclaim(rec.MessageID)
	}
	if dir := s.messageDir(rec); dir != "" {
		os.RemoveAll(dir)
	}
}

// messageDir is the folder of a message's payload files ("" when the
// record has none).
func (s *Sender) messageDir(rec *outboxRecord) string {
	if rec.Folder == "" {
		return ""
	}
	return filepath.Join(s.Dir, rec.Folder)
}

// inlineLimit is the payload size up to which the outbox record holds the
// bytes itself instead of a file (one database write instead of a file
// create and fsync).
const inlineLimit = 64 << 10

// storePayload keeps p in sp: inline when small, else in dir/name, synced
// to disk. It refuses more than limit bytes (limit <= 0: no limit).
func storePayload(sp *storedPayload, p Payload, dir, name string, limit int64) error {
	rc, err := p.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	src := io.Reader(rc)
	if limit > 0 {
		src = io.LimitReader(rc, limit+1)
	}
	head, err := io.ReadAll(io.LimitReader(src, inlineLimit+1))
	if err != nil {
		return err
	}
	if len(head) <= inlineLimit {
		if limit > 0 && int64(len(head)) > limit {
			return fmt.Errorf("larger than the P-Mode limit of %d bytes", limit)
		}
		sp.Data = head
		if sp.Data == nil {
			sp.Data = []byte{}
		}
		return nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("outbox folder: %w", err)
	}
	sp.File = name
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(head)
	var n int64
	if err == nil {
		n, err = io.Copy(f, src)
		n += int64(len(head))
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && limit > 0 && n > limit {
		err = fmt.Errorf("larger than the P-Mode limit of %d bytes", limit)
	}
	return err
}

func (s *Sender) claim(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inflight == nil {
		s.inflight = map[string]bool{}
	}
	if s.inflight[id] {
		return false
	}
	s.inflight[id] = true
	return true
}

func (s *Sender) unclaim(id string) {
	s.mu.Lock()
	delete(s.inflight, id)
	s.mu.Unlock()
}

// conclude records the outcome of a message and then gives back the claim
// on it.
//
// A sent message is marked without the caller waiting for the commit when
// the Outbox can queue the write (FinishQueuer): the claim is held until
// the mark is committed, so that Resume leaves the message meanwhile. A
// crash before that commit leaves the message pending and it is sent
// again, which the receiver's duplicate elimination answers with the
// receipt it gave (issue 16 item 2). A failed message is marked before
// the caller hears of the failure: sent again after a crash, it could be
// delivered after its sender was told it failed.
func (s *Sender) conclude(ctx context.Context, rec *outboxRecord, status, detail string) {
	ctx = context.WithoutCancel(ctx)
	if q, ok := s.Outbox.(FinishQueuer); ok && status == "sent" {
		q.QueueFinish(ctx, rec.MessageID, status, detail, func(err error) {
			// done runs in the store's writer: the folder (large payloads
			// only) goes in a goroutine of its own.
			go func() {
				s.finished(rec, status, err)
				s.unclaim(rec.MessageID)
			}()
		})
		return
	}
	s.finished(rec, status, s.Outbox.Finish(ctx, rec.MessageID, status, detail))
	s.unclaim(rec.MessageID)
}

// finished follows the outbox's Finish: it logs a failure to record the
// outcome, else removes the message's folder.
func (s *Sender) finished(rec *outboxRecord, status string, err error) {
	id := rec.MessageID
	if err != nil {
		s.logger().Error("as4 outbox finish", "message", id, "status", status, "err", err)
		return
	}
	hasFiles := false
	for _, p := range rec.Payloads {
		hasFiles = hasFiles || p.File != ""
	}
	if dir := s.messageDir(rec); dir == "" || !hasFiles {
		return
	} else if err := os.RemoveAll(dir); err != nil {
		s.logger().Warn("as4 outbox cleanup", "message", id, "err", err)
	}
}

// errBusy is returned when the same message is already being sent.
var errBusy = errors.New("message is already being sent")

// deliver builds, secures and posts one outbox message until it is
// acknowledged, and records the outcome in the outbox.
func (s *Sender) deliver(ctx context.Context, rec *outboxRecord) (*Result, error) {
	if !s.claim(rec.MessageID) {
		return nil, fmt.Errorf("sender %s: %w", rec.MessageID, errBusy)
	}
	return s.deliverClaimed(ctx, rec)
}

// deliverClaimed is deliver for a message the caller has claimed; it
// releases the claim.
func (s *Sender) deliverClaimed(ctx context.Context, rec *outboxRecord) (*Result, error) {
	spool := &Spool{Dir: s.Dir, Pool: &s.files}
	defer spool.Cleanup()
	msg, err := s.build(rec, spool)
	return s.dispatch(ctx, rec, msg, err)
}

// dispatch posts msg, built from rec (buildErr: it could not be), records
// the outcome in the outbox and gives back the caller's claim on rec.
func (s *Sender) dispatch(ctx context.Context, rec *outboxRecord, msg *outgoing, buildErr error) (*Result, error) {
	if buildErr != nil {
		s.conclude(ctx, rec, "failed", buildErr.Error())
		return nil, buildErr
	}
	log := s.logger().With("message", rec.MessageID, "pmode", rec.PModeID)
	res, err := s.post(ctx, msg, log)
	switch {
	case err == nil:
		log.Info("as4 message acknowledged", "endpoint", res.Endpoint, "attempts", res.Attempts)
		s.conclude(ctx, rec, "sent", res.Receipt.MessageID)
		return res, nil
	case ctx.Err() != nil:
		s.unclaim(rec.MessageID)
		log.Warn("as4 send interrupted; message stays in the outbox", "err", err)
		return nil, fmt.Errorf("sender %s: %w", rec.MessageID, err)
	default:
		s.conclude(ctx, rec, "failed", err.Error())
		log.Error("as4 message failed", "err", err)
		return nil, err
	}
}

func (s *Sender) security() Security {
	if s.Security != nil {
		return s.Security
	}
	return WSS()
}
