// Package exchange is the exchange service: the REST API the app talks to,
// over the store and (as later steps land) the OOTS look-ups, EDM messages
// and AS4 transport. The same code runs embedded in the app and headless
// in platforms/server.
package exchange

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/vienreiz/vienreiz/assets"
	"github.com/vienreiz/vienreiz/catalogue"
	"github.com/vienreiz/vienreiz/oots/commonsvc"
	"github.com/vienreiz/vienreiz/oots/requester/demonode"
	"github.com/vienreiz/vienreiz/oots/store"
)

// DefaultListen is the address the service listens on unless configured:
// loopback, with a free port chosen by the system.
const DefaultListen = "127.0.0.1:0"

// DatabaseFile is the SQLite file's name inside the data directory.
const DatabaseFile = "vienreiz.db"

// Config says where the service listens and keeps its data.
type Config struct {
	// Listen is the TCP address, DefaultListen when empty.
	Listen string
	// DataDir holds the SQLite database; created if missing.
	DataDir string
	// Database overrides the store: a PostgreSQL URL or an SQLite path.
	// Empty means DataDir/vienreiz.db.
	Database string
	// Logger receives structured logs; slog.Default when nil.
	Logger *slog.Logger
	// Auth tells who calls the evidence-request API; nil serves the
	// catalogue only.
	Auth Authenticator
	// DirectoryURL is the base URL of the Evidence Broker and Data Service
	// Directory query interface (…/query/eb/rest/search and
	// …/query/dsd/rest/search below it). Empty means the embedded demo
	// directory, served by this service under /oots/directory.
	DirectoryURL string
	// MemberState is the folder of a demo member state running in its own
	// process (vienreiz-server -demo-member-state), for several service
	// processes sharing one PostgreSQL database: each joins it with its own
	// outbox and receives answers at POST /as4. Empty means the embedded
	// demo member state (unless DirectoryURL is set).
	MemberState string
}

// directoryPath is where the embedded demo directory is served.
const directoryPath = "/oots/directory"

// Server is a running exchange service.
type Server struct {
	// stopWork ends the time-out worker; workDone closes when it has.
	stopWork context.CancelFunc
	workDone chan struct{}
	store    *store.Store
	member   io.Closer // the embedded or joined demo member state, if any
	http     *http.Server
	ln       net.Listener
	done     chan error
	log      *slog.Logger
}

// Start opens the store (migrating it and loading the demo catalogue on
// first start), listens and serves in the background. Errors say what was
// wrong with the data directory, the database or the address.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	dsn := cfg.Database
	if dsn == "" {
		if cfg.DataDir == "" {
			return nil, errors.New("exchange: no data directory and no database configured")
		}
		if err := usableDir(cfg.DataDir); err != nil {
			return nil, err
		}
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
	if loaded, err := st.SeedCatalogue(ctx, cat); err != nil {
		st.Close()
		return nil, err
	} else if loaded {
		log.Info("catalogue loaded", "version", cat.Version, "services", len(cat.Services))
	}
	addr := cfg.Listen
	if addr == "" {
		addr = DefaultListen
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("exchange: cannot listen on %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	dirURL := cfg.DirectoryURL
	var memberState demonode.MemberStateInfo
	if cfg.MemberState != "" {
		memberState, err = demonode.LoadMemberState(cfg.MemberState)
		if err != nil {
			ln.Close()
			st.Close()
			return nil, fmt.Errorf("exchange: %w", err)
		}
		dirURL = memberState.DirectoryURL
	}
	if dirURL == "" {
		demo, err := commonsvc.DemoDirectory()
		if err != nil {
			ln.Close()
			st.Close()
			return nil, fmt.Errorf("exchange: embedded directory: %w", err)
		}
		mux.Handle(directoryPath+"/", http.StripPrefix(directoryPath, commonsvc.NewServer(demo, log)))
		dirURL = "http://" + ln.Addr().String() + directoryPath
	}
	dir := &commonsvc.Client{
		EBURL:  dirURL + "/query/eb/rest/search",
		DSDURL: dirURL + "/query/dsd/rest/search",
		Cache:  commonsvc.NewCache(commonsvc.CacheConfig{TTL: 10 * time.Minute}),
		Logger: log,
	}
	stateDir := cfg.DataDir
	if stateDir == "" {
		if stateDir, err = os.MkdirTemp("", "vienreiz-"); err != nil {
			ln.Close()
			st.Close()
			return nil, fmt.Errorf("exchange: state folder: %w", err)
		}
	}
	reqs := NewRequests(RequestsConfig{Store: st, Directory: dir, Worker: workerName(cfg.DataDir), Log: log})
	var member io.Closer
	switch {
	case cfg.MemberState != "":
		// A demo member state shared by several service processes: our
		// requester (with its own outbox) joins it.
		j, err := demonode.Join(ctx, demonode.JoinOptions{
			MemberState: cfg.MemberState, Info: memberState, Dir: filepath.Join(stateDir, "oots", "requester"), OnAnswer: reqs.OnAnswer, Logger: log,
		})
		if err != nil {
			ln.Close()
			st.Close()
			return nil, fmt.Errorf("exchange: demo member state: %w", err)
		}
		mux.Handle("POST /as4", j.AS4Handler())
		reqs.transport, reqs.preview, member = j.Requester, j.PreviewClient(), j
	case cfg.DirectoryURL == "":
		// The embedded default: the demo member state and our access
		// points run here too, over real AS4 on loopback.
		node, err := demonode.Start(ctx, demonode.Options{Dir: filepath.Join(stateDir, "oots"), OnAnswer: reqs.OnAnswer, Logger: log})
		if err != nil {
			ln.Close()
			st.Close()
			return nil, fmt.Errorf("exchange: demo member state: %w", err)
		}
		reqs.transport, reqs.preview, member = node.Requester(), node.PreviewClient(), node
	}
	mux.Handle("/", NewHandler(HandlerConfig{Catalogue: st, Requests: reqs, Auth: cfg.Auth, Log: log}))
	workCtx, stopWork := context.WithCancel(context.Background())
	workDone := make(chan struct{})
	go func() {
		defer close(workDone)
		reqs.RunJobs(workCtx, time.Second)
	}()
	s := &Server{
		stopWork: stopWork,
		workDone: workDone,
		member:   member,
		store:    st,
		ln:       ln,
		done:     make(chan error, 1),
		log:      log,
		http: &http.Server{
			Handler:           mux,
			ReadHeaderTimeout: 10 * time.Second,
			MaxHeaderBytes:    64 << 10,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		},
	}
	s.http.RegisterOnShutdown(reqs.hub.Close)
	go func() {
		err := s.http.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		s.done <- err
	}()
	log.Info("exchange service listening", "url", s.URL(), "database", st.Dialect())
	return s, nil
}

// URL is the base URL of the REST API, e.g. http://127.0.0.1:41234.
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() }

// Close stops accepting requests, waits for those in flight until ctx ends,
// and closes the store.
func (s *Server) Close(ctx context.Context) error {
	err := s.http.Shutdown(ctx)
	if serveErr := <-s.done; err == nil {
		err = serveErr
	}
	s.stopWork()
	<-s.workDone
	if s.member != nil {
		if merr := s.member.Close(); err == nil {
			err = merr
		}
	}
	if cerr := s.store.Close(); err == nil {
		err = cerr
	}
	s.log.Info("exchange service stopped")
	return err
}

// usableDir creates dir if needed and checks that files can be created in it.
func usableDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("exchange: data directory %s cannot be created: %w", dir, err)
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
