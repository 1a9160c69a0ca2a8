package demonode

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"github.com/vienreiz/vienreiz/internal/servers"
	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/as4/pmode/demo"
	"github.com/vienreiz/vienreiz/oots/commonsvc"
	"github.com/vienreiz/vienreiz/oots/commonsvc/demodir"
	"github.com/vienreiz/vienreiz/oots/provider"
	"github.com/vienreiz/vienreiz/oots/requester"
)

// DefaultPassword seals the demo key stores when Options.Password is
// empty. The demo keys are test keys; a real deployment has no such
// default.
const DefaultPassword = "vienreiz-demo"

// Side names a member state for Options.Intercept.
type Side string

// The two sides of the demo.
const (
	SideRequester Side = "requester"
	SideProvider  Side = "provider"
)

// Options configure Start. Only Dir and OnAnswer are required.
type Options struct {
	// Dir holds the state of both sides: pki/ (keys and P-Modes),
	// requester/ and provider/.
	Dir string
	// Password seals the key stores in Dir/pki (DefaultPassword if empty).
	Password string
	// Directory is the EB/DSD the provider serves (demodir.Directory
	// if nil).
	Directory *commonsvc.Directory
	// OnAnswer receives the provider's answers (requester.Config.OnAnswer).
	OnAnswer func(ctx context.Context, a requester.Answer) error
	// PreviewTTL and ResendInterval go to the provider (its defaults if
	// zero); RequesterResend is requester.Config.ResendInterval.
	PreviewTTL, ResendInterval, RequesterResend time.Duration
	// Intercept, if set, wraps each AS4 listener (index 0 is the primary)
	// before it is served: tests use it to take an access point down.
	Intercept func(side Side, index int, h http.Handler) http.Handler
	// ObserveSend is given to both sides' AS4 senders (as4.Sender.Observe).
	ObserveSend func(*as4.Submission)
	// Logger defaults to slog.Default.
	Logger *slog.Logger
}

// Node is both member states running on loopback.
type Node struct {
	// PreviewURL is the base of the provider's preview space; every
	// PreviewLocation is below it.
	PreviewURL string
	// PreviewRoots trusts the preview space's certificate.
	PreviewRoots *x509.CertPool
	// Directory is the EB/DSD the provider serves.
	Directory *commonsvc.Directory
	// RequesterEndpoints and ProviderEndpoints are the AS4 listeners,
	// primary first.
	RequesterEndpoints, ProviderEndpoints []string

	opts    Options
	reqSide demo.Side
	prov    *provider.Provider
	servers servers.Group

	mu      sync.RWMutex
	req     *requester.Requester
	running chan error
	closed  bool
}

// Start listens on five loopback ports (two AS4 listeners per side and
// the preview space; the ports of the last start when they are free, so
// PreviewLocations and queued messages stay valid across a restart), builds or loads the demo setup for them, and starts
// the provider and the requester (with its Run loop). Close stops all.
func Start(ctx context.Context, opts Options) (n *Node, err error) {
	if opts.Dir == "" || opts.OnAnswer == nil {
		return nil, errors.New("demonode: Options.Dir and Options.OnAnswer are required")
	}
	if opts.Password == "" {
		opts.Password = DefaultPassword
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Directory == nil {
		if opts.Directory, err = demodir.Directory(); err != nil {
			return nil, fmt.Errorf("demonode: directory: %w", err)
		}
	}
	n = &Node{opts: opts, Directory: opts.Directory}
	started := n // n is nil on the error returns
	var lns []net.Listener
	defer func() {
		if err != nil {
			for _, l := range lns {
				l.Close()
			}
			started.Close()
		}
	}()
	if lns, err = listenAgain(ctx, opts.Dir, 5); err != nil {
		return nil, err
	}
	url := func(l net.Listener) string { return "http://" + l.Addr().String() + "/as4" }
	n.RequesterEndpoints = []string{url(lns[0]), url(lns[1])}
	n.ProviderEndpoints = []string{url(lns[2]), url(lns[3])}
	n.PreviewURL = "https://" + lns[4].Addr().String() + "/preview"

	reqSide, provSide, err := sides(opts.Dir, opts.Password, n.RequesterEndpoints, n.ProviderEndpoints, providerIDs(opts.Directory))
	if err != nil {
		return nil, err
	}
	n.reqSide = reqSide
	cert, root, err := previewTLS(time.Now())
	if err != nil {
		return nil, err
	}
	n.PreviewRoots = x509.NewCertPool()
	n.PreviewRoots.AddCert(root)
	n.prov, err = provider.New(provider.Config{
		PModes: provSide.Config, Identity: provSide.Identity, Trust: provSide.Trust,
		Directory: opts.Directory, Dir: filepath.Join(opts.Dir, "provider"), PreviewURL: n.PreviewURL,
		PreviewTTL: opts.PreviewTTL, ResendInterval: opts.ResendInterval, Logger: opts.Logger.With("side", "provider"),
		ObserveSend: opts.ObserveSend,
	})
	if err != nil {
		return nil, fmt.Errorf("demonode: provider: %w", err)
	}
	if n.req, n.running, err = n.startRequester(ctx); err != nil {
		return nil, err
	}
	for i := range 2 {
		i := i
		n.servers.Serve(lns[i], n.wrap(SideRequester, i, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.mu.RLock()
			h := n.req.AS4Handlers()[i]
			n.mu.RUnlock()
			h.ServeHTTP(w, r)
		})), nil, n.opts.Logger)
		n.servers.Serve(lns[2+i], n.wrap(SideProvider, i, n.prov.AS4Handlers()[i]), nil, n.opts.Logger)
	}
	n.servers.Serve(lns[4], n.prov.PreviewHandler(), &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, n.opts.Logger)
	lns = nil // owned by the servers now
	return n, nil
}

// wrap applies Options.Intercept.
func (n *Node) wrap(side Side, i int, h http.Handler) http.Handler {
	if n.opts.Intercept == nil {
		return h
	}
	return n.opts.Intercept(side, i, h)
}

// startRequester opens the requester over Dir/requester and starts Run;
// done receives what Run returned.
func (n *Node) startRequester(ctx context.Context) (r *requester.Requester, done chan error, err error) {
	r, err = requester.New(ctx, requester.Config{
		PModes: n.reqSide.Config, Identity: n.reqSide.Identity, Trust: n.reqSide.Trust,
		Dir: filepath.Join(n.opts.Dir, "requester"), OnAnswer: n.opts.OnAnswer, DefaultParty: ProviderParty,
		ResendInterval: n.opts.RequesterResend, Logger: n.opts.Logger.With("side", "requester"),
		ObserveSend: n.opts.ObserveSend,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("demonode: requester: %w", err)
	}
	done = make(chan error, 1)
	go func() { done <- r.Run(context.WithoutCancel(ctx)); close(done) }()
	return r, done, nil
}

// Requester returns the running requester.
func (n *Node) Requester() *requester.Requester {
	n.mu.RLock()
	defer n.mu.RUnlock()
	return n.req
}

// PreviewClient returns an https client that trusts the preview space.
func (n *Node) PreviewClient() *http.Client { return previewClient(n.PreviewRoots) }

// RestartRequester closes the requester and opens it again over the same
// state, as a process restart would: what its outbox holds is sent by the
// new Run. Messages arriving meanwhile wait for the new requester; call it
// when no answer is being received.
func (n *Node) RestartRequester(ctx context.Context) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return errors.New("demonode: restart after Close")
	}
	if err := n.req.Close(); err != nil {
		return err
	}
	<-n.running
	r, done, err := n.startRequester(ctx)
	if err != nil {
		return err
	}
	n.req, n.running = r, done
	return nil
}

// Close stops the listeners, the requester and the provider. Unsent
// messages stay in the outboxes for the next Start.
func (n *Node) Close() error {
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		return nil
	}
	n.closed = true
	n.mu.Unlock()
	var errs []error
	n.servers.Shutdown()
	n.mu.Lock()
	r, done := n.req, n.running
	n.mu.Unlock()
	if r != nil {
		errs = append(errs, r.Close())
		<-done
	}
	if n.prov != nil {
		errs = append(errs, n.prov.Close())
	}
	return errors.Join(errs...)
}

// RequesterCert is the requester's AS4 certificate (from Dir/pki).
func (n *Node) RequesterCert() *x509.Certificate { return n.reqSide.Identity.Cert }
