// Package exchange is the exchange service: the REST API the app talks to,
// over the store and (as later steps land) the OOTS look-ups, EDM messages
// and AS4 transport. The same code runs embedded in the app and headless
// in platforms/server.
package exchange

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/assets"
	"github.com/vienreiz/vienreiz/catalogue"
	"github.com/vienreiz/vienreiz/identity"
	"github.com/vienreiz/vienreiz/oots/requester"
	"github.com/vienreiz/vienreiz/oots/store"
)

// DefaultListen is the address the service listens on unless configured:
// loopback, with a free port chosen by the system.
const DefaultListen = "127.0.0.1:0"

// DatabaseFile is the SQLite file's name inside the data directory.
const DatabaseFile = "vienreiz.db"

// Config says where the service listens, keeps its data and which OOTS
// network it talks to.
type Config struct {
	// Listen is the TCP address, DefaultListen when empty.
	Listen string
	// DataDir holds the SQLite database and the network's state; created
	// if missing.
	DataDir string
	// Database overrides the store: a PostgreSQL URL or an SQLite path.
	// Empty means DataDir/vienreiz.db.
	Database string
	// Logger receives structured logs; slog.Default when nil.
	Logger *slog.Logger
	// Auth tells who calls the evidence-request API; nil serves the
	// catalogue only.
	Auth Authenticator
	// SignIn is the identity provider whose tokens Auth takes; apps read
	// it at GET /v1/sign-in.
	SignIn identity.Provider
	// TLSCert and TLSKey, both set, are PEM files: the API is served
	// over HTTPS. Without them it is plain HTTP, for loopback or behind
	// a reverse proxy that terminates TLS (docs/reverse-proxy.md).
	TLSCert, TLSKey string
	// Limits bound connections and event streams (zero: DefaultLimits).
	Limits Limits
	// Network is the OOTS network the service talks to (required): the
	// demo (oots/demonet) or one configured from a network file
	// (oots/network).
	Network Network
	// EvidenceKey (32 bytes) encrypts the evidence documents at rest;
	// nil keeps them in clear.
	EvidenceKey []byte
	// MaxEvidenceSize bounds the documents of one answer (bytes, 0: only
	// the P-Mode); see RequestsConfig.MaxEvidenceSize.
	MaxEvidenceSize int64
	// AppLinks are the installed apps the https links open
	// (docs/app-links.md); none: the links open the portal's pages.
	AppLinks AppLinks
	// HandoffKey (at least 32 bytes) signs the one-time handoff and
	// pairing links; every process serving the same database needs the
	// same one. The server reads it from -handoff-key-file, the app from
	// its secret store. Nil: a random key for this process only. After a
	// change, links signed with the old key are refused (their short
	// codes still work).
	HandoffKey []byte
	// CompanyMandates are registered at start, each unless its
	// representative already holds a mandate of its company: the demo's
	// company representative acts for the company from the first sign-in,
	// as the development provider's page says. They are the demo data's
	// act (ledger actor DemoRegistrar); an administrator may revoke them.
	CompanyMandates []api.NewMandate
}

// DemoRegistrar is the registrar of Config.CompanyMandates: the demo data,
// with the administrator role for this one act.
const DemoRegistrar = "vienreiz-demo-data"

// Server is a running exchange service.
type Server struct {
	http   *http.Server
	ln     net.Listener
	scheme string // http or https
	conns  *connLimiter
	done   chan error
	log    *slog.Logger
	// work is the background work, ended by Close before release runs.
	work background
	// release closes, newest first, what Start opened: the network
	// connection, the listener, the store, the state folder.
	release cleanup
	// closed makes Close run once; closeErr is what it returned.
	closed   sync.Once
	closeErr error
	// store is the service's database.
	store *store.Store
}

// Start opens the store (migrating it and loading the demo catalogue on
// first start), listens, connects the network and serves in the
// background. Errors say what was wrong with the data directory, the
// database, the address or the network. Each step adds what it opened to
// one cleanup, which runs if a later step fails and at Close.
func Start(ctx context.Context, cfg Config) (_ *Server, err error) {
	log, err := cfg.check()
	if err != nil {
		return nil, err
	}
	var release cleanup
	defer func() {
		if err != nil {
			release.run()
		}
	}()
	st, stateDir, err := openData(ctx, cfg, log, &release)
	if err != nil {
		return nil, err
	}
	ln, scheme, err := listen(ctx, cfg, &release)
	if err != nil {
		return nil, err
	}
	led, err := anchoredLedger(st, stateDir)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	answers := newAnswerRelay()
	conn, err := connect(ctx, cfg.Network, Site{
		URL: scheme + "://" + ln.Addr().String(), Mux: mux, StateDir: stateDir, OnAnswer: answers.OnAnswer, Log: log,
	}, &release)
	if err != nil {
		return nil, err
	}
	// Nothing below fails: an answer waiting in the relay is not held up.
	reqs := NewRequests(RequestsConfig{
		Store: st, Ledger: led, Directory: conn.Directory, Transport: conn.Transport, Preview: conn.Preview,
		PreviewReturn: conn.PreviewReturn, Requester: conn.Requester,
		Worker: workerName(cfg.DataDir), MaxEvidenceSize: cfg.MaxEvidenceSize, Log: log,
	})
	backfill(ctx, reqs, log)
	registerCompanyMandates(ctx, reqs, cfg.CompanyMandates, log)
	answers.relayTo(reqs)
	guard := newLedgerGuard(led, log)
	mux.Handle("/", NewHandler(HandlerConfig{Catalogue: st, Requests: reqs, Auth: cfg.Auth, Log: log, Ledger: guard.health, Limits: cfg.Limits, AppLinks: cfg.AppLinks, HandoffKey: cfg.HandoffKey, SignIn: cfg.SignIn}))
	s := newServer(cfg.Limits, log, ln, scheme, mux, startBackground(reqs, guard), release)
	s.store = st
	s.http.RegisterOnShutdown(reqs.hub.Close)
	if reqs.share != nil && !reqs.share.waitListening(listenWait) {
		log.Warn("not hearing the other processes' events yet: streams open here miss their changes until then")
	}
	s.serve()
	log.Info("exchange service listening", "url", s.URL(), "database", st.Dialect(), "network", conn.Name)
	return s, nil
}

// listenWait is how long Start waits for the process to hear the others'
// events (a scale-out's): a stream opened before misses their changes.
const listenWait = 5 * time.Second

// check reports what is missing or wrong in cfg before anything is
// opened, and returns its logger (slog.Default when none).
func (cfg Config) check() (*slog.Logger, error) {
	if cfg.Network == nil {
		return nil, errors.New("exchange: no OOTS network configured (Config.Network)")
	}
	if _, err := cfg.AppLinks.Normalized(); err != nil {
		return nil, fmt.Errorf("exchange: %w", err)
	}
	if cfg.HandoffKey != nil && len(cfg.HandoffKey) < 32 {
		return nil, fmt.Errorf("exchange: the handoff key has %d bytes, it needs at least 32", len(cfg.HandoffKey))
	}
	if cfg.DataDir == "" && cfg.Database == "" {
		return nil, errors.New("exchange: no data directory and no database configured")
	}
	if cfg.Logger == nil {
		return slog.Default(), nil
	}
	return cfg.Logger, nil
}

// openData makes the state folder ready and opens the store, with the
// evidence key when one is configured.
func openData(ctx context.Context, cfg Config, log *slog.Logger, release *cleanup) (*store.Store, string, error) {
	stateDir, err := stateFolder(cfg.DataDir, release)
	if err != nil {
		return nil, "", err
	}
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		return nil, "", err
	}
	release.add(st.Close)
	if cfg.EvidenceKey != nil {
		if err := st.SetEvidenceKey(cfg.EvidenceKey); err != nil {
			return nil, "", fmt.Errorf("exchange: %w", err)
		}
	}
	return st, stateDir, nil
}

// listen opens the configured address (DefaultListen when empty), in TLS
// when configured, and returns the URL scheme.
func listen(ctx context.Context, cfg Config, release *cleanup) (net.Listener, string, error) {
	addr := cfg.Listen
	if addr == "" {
		addr = DefaultListen
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, "", fmt.Errorf("exchange: cannot listen on %s: %w", addr, err)
	}
	release.add(func() error { return ignoreClosed(ln.Close()) })
	scheme, ln, err := withTLS(cfg, ln)
	return ln, scheme, err
}

// connect connects the network for site.
func connect(ctx context.Context, network Network, site Site, release *cleanup) (*Connection, error) {
	conn, err := network.Connect(ctx, site)
	if err != nil {
		return nil, fmt.Errorf("exchange: network: %w", err)
	}
	if conn.Close != nil {
		release.add(conn.Close)
	}
	return conn, nil
}

// registerCompanyMandates registers each of list whose representative
// holds no mandate of its company yet (revoked or expired ones too: a
// revocation stands across restarts). A failure is logged: the service
// runs without it.
func registerCompanyMandates(ctx context.Context, reqs *Requests, list []api.NewMandate, log *slog.Logger) {
	registrar := Principal{Subject: DemoRegistrar, GivenName: "Vienreiz", FamilyName: "demo data", Role: RoleAdministrator}
	for _, m := range list {
		held, err := reqs.store.MandatesOf(ctx, m.Representative)
		if err == nil && slices.ContainsFunc(held, func(h store.Mandate) bool {
			return h.Represented == m.Represented && h.Representative == m.Representative
		}) {
			continue
		}
		if err == nil {
			_, err = reqs.GiveMandate(ctx, registrar, m)
		}
		if err != nil {
			log.Error("demo company mandate not registered", "company", m.Represented, "representative", m.Representative, "err", err)
		}
	}
}

// backfill fills the inbox from the requests made before it and gives the
// requests under way made before open keys theirs, once per database; a
// failure is tried again at the next start.
func backfill(ctx context.Context, reqs *Requests, log *slog.Logger) {
	if n, err := reqs.BackfillInbox(ctx); err != nil {
		log.Warn("the inbox of requests made before it was not filled; trying again at the next start", "err", err)
	} else if n > 0 {
		log.Info("inbox filled from the requests made before it", "items", n)
	}
	if n, err := reqs.BackfillOpenKeys(ctx); err != nil {
		log.Warn("the requests under way were not marked so; trying again at the next start", "err", err)
	} else if n > 0 {
		log.Info("requests under way marked so: a second request for the same evidence opens them", "requests", n)
	}
}

// answerRelay hands the network's answers to the requests. Connecting
// needs the answer handler (Site.OnAnswer) and the requests need the
// connection (directory, transport, preview), so Start connects with the
// relay and builds the requests next; an answer that arrives in between
// (a provider sending again at once after a restart) waits for them.
type answerRelay struct {
	ready chan struct{}
	to    *Requests
}

func newAnswerRelay() *answerRelay { return &answerRelay{ready: make(chan struct{})} }

// relayTo hands the answers, those waiting and those to come, to q; it is
// called once.
func (r *answerRelay) relayTo(q *Requests) {
	r.to = q
	close(r.ready)
}

// OnAnswer is Site.OnAnswer: q.OnAnswer once the requests are built.
func (r *answerRelay) OnAnswer(ctx context.Context, a requester.Answer) error {
	select {
	case <-r.ready:
		return r.to.OnAnswer(ctx, a)
	case <-ctx.Done():
		return fmt.Errorf("answer %s arrived while the service was starting: %w", a.MessageID, ctx.Err())
	}
}

// background is the service's work besides answering HTTP: the request
// jobs (sends, time-outs, purges) and the ledger's checkpoints and checks.
type background struct {
	stop context.CancelFunc
	done chan struct{}
}

// startBackground starts the background work; end stops it.
func startBackground(reqs *Requests, guard *ledgerGuard) background {
	ctx, stop := context.WithCancel(context.Background())
	b := background{stop: stop, done: make(chan struct{})}
	go func() {
		defer close(b.done)
		var wg sync.WaitGroup
		wg.Go(func() { guard.run(ctx, ledgerCheckpointEvery, ledgerVerifyEvery) })
		if reqs.share != nil {
			wg.Go(func() { reqs.share.run(ctx) })
		}
		reqs.RunJobs(ctx, time.Second)
		wg.Wait()
	}()
	return b
}

// end stops the background work and waits until it has stopped.
func (b background) end() {
	b.stop()
	<-b.done
}

// newServer is the HTTP server of handler on ln, within limits; Close
// ends work and then runs release.
func newServer(limits Limits, log *slog.Logger, ln net.Listener, scheme string, handler http.Handler, work background, release cleanup) *Server {
	s := &Server{
		work:    work,
		release: release,
		ln:      ln,
		scheme:  scheme,
		conns:   newConnLimiter(limits.withDefaults()),
		done:    make(chan error, 1),
		log:     log,
		http: &http.Server{
			Handler:           handler,
			ReadHeaderTimeout: readHeaderTimeout,
			ReadTimeout:       readTimeout,
			IdleTimeout:       idleTimeout,
			MaxHeaderBytes:    64 << 10,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		},
	}
	s.http.ConnState = s.conns.track
	s.http.RegisterOnShutdown(s.conns.closeUnused)
	return s
}

// serve accepts connections in the background until Close.
func (s *Server) serve() {
	go func() {
		err := s.http.Serve(s.ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		s.done <- err
	}()
}

// withTLS wraps ln in TLS when cfg names a certificate and key, and
// returns the URL scheme.
func withTLS(cfg Config, ln net.Listener) (string, net.Listener, error) {
	if (cfg.TLSCert == "") != (cfg.TLSKey == "") {
		return "", nil, errors.New("exchange: TLS needs both a certificate and a key file")
	}
	if cfg.TLSCert == "" {
		return "http", ln, nil
	}
	cert, err := tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
	if err != nil {
		return "", nil, fmt.Errorf("exchange: TLS certificate: %w", err)
	}
	return "https", tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}), nil
}

// openStore opens the configured database, or the SQLite file in the
// (existing) data folder, and loads the embedded catalogue on first start.
func openStore(ctx context.Context, cfg Config, log *slog.Logger) (*store.Store, error) {
	dsn := cfg.Database
	if dsn == "" {
		dsn = filepath.Join(cfg.DataDir, DatabaseFile)
	}
	st, err := store.Open(ctx, dsn, log)
	if err != nil {
		return nil, err
	}
	cat, err := catalogue.Parse(assets.CatalogueJSON())
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("exchange: embedded catalogue: %w", err)
	}
	loaded, err := st.SeedCatalogue(ctx, cat)
	if err != nil {
		st.Close()
		return nil, err
	}
	if loaded {
		log.Info("catalogue loaded", "version", cat.Version, "services", len(cat.Services))
	}
	return st, nil
}

// stateFolder is the data folder, created if missing, or without one a
// temporary folder that release removes.
func stateFolder(dataDir string, release *cleanup) (string, error) {
	if dataDir != "" {
		return dataDir, usableDir(dataDir)
	}
	dir, err := os.MkdirTemp("", "vienreiz-")
	if err != nil {
		return "", fmt.Errorf("exchange: state folder: %w", err)
	}
	release.add(func() error { return os.RemoveAll(dir) })
	return dir, nil
}

// URL is the base URL of the REST API, e.g. http://127.0.0.1:41234.
func (s *Server) URL() string { return s.scheme + "://" + s.ln.Addr().String() }

// Close stops accepting requests, waits for those in flight until ctx ends,
// stops the background work, disconnects the network and closes the store.
// Calling it again returns what the first call returned.
func (s *Server) Close(ctx context.Context) error {
	s.closed.Do(func() { s.closeErr = s.close(ctx) })
	return s.closeErr
}

func (s *Server) close(ctx context.Context) error {
	err := s.http.Shutdown(ctx)
	if serveErr := <-s.done; err == nil {
		err = serveErr
	}
	s.work.end()
	if rerr := s.release.run(); err == nil {
		err = rerr
	}
	s.log.Info("exchange service stopped")
	return err
}

// cleanup closes what was opened, newest first.
type cleanup []func() error

func (c *cleanup) add(f func() error) { *c = append(*c, f) }

// run calls every function once, newest first, and joins their errors.
func (c *cleanup) run() error {
	var errs []error
	for i := len(*c) - 1; i >= 0; i-- {
		errs = append(errs, (*c)[i]())
	}
	*c = nil
	return errors.Join(errs...)
}

// ignoreClosed drops the error of closing what is already closed.
func ignoreClosed(err error) error {
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// usableDir creates dir if needed, makes it and everything in it private
// (folders 0700, files 0600: it holds evidence and personal data, whoever
// created it) and checks that files can be created in it.
func usableDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("exchange: data directory %s cannot be created: %w", dir, err)
	}
	if err := makePrivate(dir); err != nil {
		return fmt.Errorf("exchange: data directory %s: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return fmt.Errorf("exchange: data directory %s is not writable: %w", dir, err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// workerName names this process in the job queue: the host and the data
// folder, which stay the same when the process is restarted; "" (host and
// process id) without a data folder.
func workerName(dataDir string) string {
	if dataDir == "" {
		return ""
	}
	host, _ := os.Hostname()
	if abs, err := filepath.Abs(dataDir); err == nil {
		dataDir = abs
	}
	return host + ":" + dataDir
}

// makePrivate takes group and other permissions off dir and everything
// in it (symbolic links are left alone). What goes while it walks (SQLite
// removes its -shm and -wal files as a database closes) needs nothing.
func makePrivate(dir string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil {
			err = makeEntryPrivate(path, d)
		}
		if errors.Is(err, fs.ErrNotExist) && path != dir {
			return nil
		}
		return err
	})
}

// makeEntryPrivate is makePrivate for one entry.
func makeEntryPrivate(path string, d fs.DirEntry) error {
	if d.Type()&fs.ModeSymlink != 0 {
		return nil
	}
	info, err := d.Info()
	if err != nil {
		return err
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return os.Chmod(path, perm&0o700)
	}
	return nil
}
