package requester

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/as4/sqlitestore"
)

// Requester sends evidence requests and receives the answers. Create it
// with New, serve AS4Handlers at the endpoints of PModes.Self, call Run
// once, and Close at the end. It is safe for concurrent use.
type Requester struct {
	cfg       Config
	db        *sqlitestore.Store
	sender    *as4.Sender
	handlers  []http.Handler
	answerDir string

	mu      sync.Mutex
	running bool
	stop    chan struct{}
	done    chan struct{}
	closed  bool
}

// New opens the requester's state in cfg.Dir (creating it) and prepares
// the sender and one AS4 listener per endpoint of our party.
func New(ctx context.Context, cfg Config) (*Requester, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	r := &Requester{cfg: cfg, answerDir: filepath.Join(cfg.Dir, "answers"), stop: make(chan struct{}), done: make(chan struct{})}
	for _, d := range []string{cfg.Dir, filepath.Join(cfg.Dir, "outbox"), filepath.Join(cfg.Dir, "spool"), r.answerDir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("requester: state folder: %w", err)
		}
	}
	db, err := sqlitestore.Open(ctx, filepath.Join(cfg.Dir, "as4.db"))
	if err != nil {
		return nil, fmt.Errorf("requester: as4 store: %w", err)
	}
	r.db = db
	// Dir is this requester's alone: unfinished claims are from a run that
	// died, and the providers' retries of those answers are taken now.
	if n, err := db.ReleaseClaims(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("requester: %w", err)
	} else if n > 0 {
		cfg.Logger.Info("requester: answers an earlier run did not finish will be taken again", "messages", n)
	}
	r.sender = &as4.Sender{
		Config: cfg.PModes, Identity: cfg.Identity, Trust: cfg.Trust,
		Outbox: db, Dir: filepath.Join(cfg.Dir, "outbox"), Client: cfg.Client,
		Logger: cfg.Logger, Now: cfg.Now, Observe: cfg.ObserveSend, VerifyAt: cfg.VerifyAt,
	}
	self, _ := cfg.PModes.Party(cfg.PModes.Self) // checked in cfg.check
	uploads := &as4.UploadSlots{}                // a sender's upload limit holds across our access points
	for range self.Endpoints {
		rc := &as4.Receiver{
			Config: cfg.PModes, Identity: cfg.Identity, Trust: cfg.Trust,
			Duplicates: db, Deliver: r.deliver, SpoolDir: filepath.Join(cfg.Dir, "spool"),
			Logger: cfg.Logger, Now: cfg.Now, VerifyAt: cfg.VerifyAt, Uploads: uploads,
		}
		r.handlers = append(r.handlers, retryOnCallbackError(rc))
	}
	return r, nil
}

// AS4Handlers returns one AS4 receiving endpoint per access point of our
// party, primary first. They share one duplicate store: an answer arriving
// at both is delivered once.
func (r *Requester) AS4Handlers() []http.Handler { return append([]http.Handler(nil), r.handlers...) }

// Run sends what the outbox holds (left by an earlier run, or by Send
// calls whose context ended) now and then every Config.ResendInterval,
// until ctx ends (returning its error) or Close is called (returning nil).
// Every hour it also purges records older than Config.Retention. Call it
// once.
func (r *Requester) Run(ctx context.Context) error {
	r.mu.Lock()
	if r.running || r.closed {
		r.mu.Unlock()
		return errors.New("requester: Run called twice or after Close")
	}
	r.running = true
	r.mu.Unlock()
	defer close(r.done)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-r.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	t := time.NewTicker(r.cfg.ResendInterval)
	defer t.Stop()
	purger := &sqlitestore.Purger{Store: r.db, Retention: r.cfg.Retention}
	for {
		if err := r.sender.Resume(ctx); err != nil && ctx.Err() == nil {
			r.cfg.Logger.Warn("requester: outbox entries not sent yet", "err", err)
		}
		purger.Due(ctx, r.cfg.Now(), r.cfg.Logger)
		select {
		case <-ctx.Done():
			select {
			case <-r.stop:
				return nil
			default:
				return ctx.Err()
			}
		case <-t.C:
		}
	}
}

// Close stops Run, waits for it, and closes the database. Requests still
// unsent stay in the outbox for the next run.
func (r *Requester) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	running := r.running
	close(r.stop)
	r.mu.Unlock()
	if running {
		<-r.done
	}
	if err := r.db.Close(); err != nil {
		return fmt.Errorf("requester: close: %w", err)
	}
	return nil
}
