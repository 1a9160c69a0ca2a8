package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/as4/sqlitestore"
)

// minListeners is the number of AS4 listeners a Provider always has: two
// access points in separate data centres.
const minListeners = 2

// Provider is the demo member state: AS4 listeners, the answering logic
// and the preview space. Create it with New and stop it with Close.
type Provider struct {
	cfg        Config
	cat        *catalog
	store      *store
	tokenKey   []byte // preview tokens are derived from it
	as4db      *sqlitestore.Store
	sender     *as4.Sender
	receivers  []*as4.Receiver
	previewURL string // without trailing slash
	previewMux *http.ServeMux

	kick   chan struct{}
	cancel context.CancelFunc
	wg     sync.WaitGroup
	once   sync.Once
}

// New opens the provider's state in cfg.Dir, indexes the evidence types
// the directory lists for its countries, and starts the background sender
// of answers (it also sends what an earlier run left unsent).
func New(cfg Config) (*Provider, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	cat, err := newCatalog(cfg.Directory, cfg.Countries)
	if err != nil {
		return nil, err
	}
	for _, d := range []string{cfg.Dir, filepath.Join(cfg.Dir, "outbox"), filepath.Join(cfg.Dir, "spool")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("provider: state folder: %w", err)
		}
	}
	tokenKey, err := loadTokenKey(filepath.Join(cfg.Dir, "preview-token.key"))
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	st, err := openStore(ctx, filepath.Join(cfg.Dir, "provider.db"))
	if err != nil {
		cancel()
		return nil, err
	}
	db, err := sqlitestore.Open(ctx, filepath.Join(cfg.Dir, "as4.db"))
	if err != nil {
		cancel()
		st.close()
		return nil, fmt.Errorf("provider: %w", err)
	}
	// Dir is this provider's alone: unfinished claims are from a run that
	// died, and the requesters' retries of those messages are taken now.
	if n, err := db.ReleaseClaims(ctx); err != nil {
		cancel()
		st.close()
		db.Close()
		return nil, fmt.Errorf("provider: %w", err)
	} else if n > 0 {
		cfg.Logger.Info("provider: messages an earlier run did not finish will be taken again", "messages", n)
	}
	p := &Provider{
		cfg: cfg, cat: cat, store: st, tokenKey: tokenKey, as4db: db,
		previewURL: strings.TrimSuffix(cfg.PreviewURL, "/"),
		kick:       make(chan struct{}, 1),
		cancel:     cancel,
	}
	p.sender = &as4.Sender{
		Config: cfg.PModes, Identity: cfg.Identity, Trust: cfg.Trust,
		Outbox: db, Dir: filepath.Join(cfg.Dir, "outbox"), Client: cfg.Client, Logger: cfg.Logger,
		Observe: cfg.ObserveSend,
	}
	self, _ := cfg.PModes.Party(cfg.PModes.Self)
	n := max(len(self.Endpoints), minListeners)
	uploads := &as4.UploadSlots{} // a sender's upload limit holds across our access points
	for range n {
		p.receivers = append(p.receivers, &as4.Receiver{
			Config: cfg.PModes, Identity: cfg.Identity, Trust: cfg.Trust,
			Duplicates: db, Deliver: p.deliver, SpoolDir: filepath.Join(cfg.Dir, "spool"),
			Limits: as4.Limits{Parts: 8}, // sizes come from the P-Mode
			Logger: cfg.Logger, Uploads: uploads,
		})
	}
	p.previewMux = p.previewRoutes()
	p.wg.Add(1)
	go p.sendLoop(ctx)
	return p, nil
}

// AS4Handlers returns one AS4 receiving endpoint per access point of our
// party (at least two), primary first. They share one duplicate store: a
// message arriving at both is processed once.
func (p *Provider) AS4Handlers() []http.Handler {
	out := make([]http.Handler, len(p.receivers))
	for i, r := range p.receivers {
		out[i] = r
	}
	return out
}

// AS4Handler returns the primary AS4 receiving endpoint.
func (p *Provider) AS4Handler() http.Handler { return p.receivers[0] }

// PreviewHandler returns the preview space, routed on the path of
// Config.PreviewURL (serve it at that host).
func (p *Provider) PreviewHandler() http.Handler { return p.previewMux }

// Close stops the background sender and closes the databases. Answers
// still unsent stay in the outbox for the next run.
func (p *Provider) Close() error {
	var err error
	p.once.Do(func() {
		p.cancel()
		p.wg.Wait()
		err = errors.Join(p.as4db.Close(), p.store.close())
	})
	return err
}

// sendLoop sends the outbox whenever an answer was queued and every
// ResendInterval, and purges as4.db's records older than Retention.
func (p *Provider) sendLoop(ctx context.Context) {
	defer p.wg.Done()
	t := time.NewTicker(p.cfg.ResendInterval)
	defer t.Stop()
	purger := &sqlitestore.Purger{Store: p.as4db, Retention: p.cfg.Retention}
	for {
		if err := p.sender.Resume(ctx); err != nil && ctx.Err() == nil {
			p.cfg.Logger.Warn("provider: answers not sent yet", "err", err)
		}
		purger.Due(ctx, p.cfg.Now(), p.cfg.Logger)
		select {
		case <-ctx.Done():
			return
		case <-p.kick:
		case <-t.C:
		}
	}
}

// wake asks the send loop to run now.
func (p *Provider) wake() {
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

// previewPath is the path part of the preview URL ("" for the root).
func (p *Provider) previewPath() string {
	u, _ := url.Parse(p.previewURL)
	return strings.TrimSuffix(u.EscapedPath(), "/")
}
