// Command vienreiz is the Vienreiz app: the Fyne user interface, talking
// to a running exchange service (-service), or with the exchange service
// and the demo data embedded (the default; `go run .` starts it). Built
// with -tags noservice it embeds no service: the app as deployed.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sync"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/vienreiz/vienreiz/app"
	"github.com/vienreiz/vienreiz/app/signin"
	"github.com/vienreiz/vienreiz/assets"
	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/internal/buildinfo"
	_ "github.com/vienreiz/vienreiz/internal/clocale" // before Fyne reads the locale
	"github.com/vienreiz/vienreiz/internal/gcgoal"
	"github.com/vienreiz/vienreiz/platforms/device"
	"github.com/vienreiz/vienreiz/platforms/secrets"
	"github.com/vienreiz/vienreiz/ui"
)

// appID is the application id of FyneApp.toml and the stores.
const appID = "lv.vienreiz.app"

func main() {
	// Nobody reads the app's heap profile; its sampling records took
	// 1.4 MiB of a running app (issue 16 item 5).
	runtime.MemProfileRate = 0
	device.PrivateFiles()
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) (code int) {
	started := time.Now()
	fs := flag.NewFlagSet("vienreiz", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf appFlags
	sf.register(fs)
	version := fs.Bool("version", false, "print the app's version (with the commit it was built from) and exit")
	fs.Usage = func() {
		fmt.Fprint(stderr, "vienreiz starts the Vienreiz app "+startsWhat+".\n\nUsage:\n  vienreiz [flags] [LINK]\n\nLINK (vienreiz://… or https://HOST/open/…) opens that screen, e.g. vienreiz://services/lv-birth-certificate.\n\nFlags (each can also be set by the environment variable shown):\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *version {
		fmt.Fprintln(stderr, "vienreiz", buildinfo.Version())
		return 0
	}
	// The app first: its metadata may name the service (a phone app's
	// package does); creating it needs no display yet.
	a := fyneapp.NewWithID(appID)
	sf.useBuiltInService(a.Metadata())
	if err := sf.check(); err != nil {
		fmt.Fprintf(stderr, "vienreiz: -service: %v\n", err)
		return 2
	}
	log, err := sf.Logger(stderr)
	if err != nil {
		fmt.Fprintf(stderr, "vienreiz: %v\n", err)
		return 2
	}
	slog.SetDefault(log)
	if msg := device.DisplayProblem(); msg != "" {
		fmt.Fprintf(stderr, "vienreiz: %s\n", msg)
		return 1
	}
	// ctx ends when the app is to close: on a signal, or when the window's
	// close button is pressed.
	ctx, closeApp := context.WithCancel(context.Background())
	defer closeApp()
	signals := closeOnSignal(closeApp)
	defer signals.stop()

	defer func() {
		// The desktop driver panics when the display cannot be opened.
		if p := recover(); p != nil {
			fmt.Fprintf(stderr, "vienreiz: cannot open a window: %v\n", p)
			code = 1
		}
	}()
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.IconPNG()))
	app.NewLanguage(a.Preferences()) // the remembered language, for the first frame too
	win := a.NewWindow("Vienreiz")
	ui.Show(win, ui.Starting())
	win.Resize(fyne.NewSize(1024, 720))
	win.SetCloseIntercept(closeApp)
	// The window comes first; the secret store, the sign-in provider and
	// the exchange service start once it shows (issue 16: launch within
	// 1.3 × a hello-world's time).
	st := &startUp{ready: make(chan struct{}), signals: signals}
	a.Lifecycle().SetOnStarted(func() {
		log.Info("window shown", "since_launch", time.Since(started).Round(time.Millisecond))
		if st.begin() {
			go st.run(ctx, &sf, a, win, fs.Args(), started, stderr, log)
		}
	})
	loopEnded := make(chan struct{})
	// The driver's Quit, not the app's: a signal during start-up reaches
	// Fyne's own listener too (takeOver had not run), which quits
	// as well; the app's Quit would then close windows of a terminated
	// GLFW (a panic), the driver's does nothing the second time.
	go closeInOrder(ctx, st, func() { fyne.Do(a.Driver().Quit) }, loopEnded, 5*time.Second, os.Exit, log)
	stopped := takeOverStopHook(a)
	win.ShowAndRun()
	close(loopEnded)
	stopped()
	return st.finish(log)
}

// appSignals closes the app on SIGINT or SIGTERM.
type appSignals struct {
	ch   chan os.Signal
	done chan struct{}
}

// closeOnSignal calls closeApp at the first SIGINT or SIGTERM.
func closeOnSignal(closeApp func()) *appSignals {
	s := &appSignals{ch: make(chan os.Signal, 1), done: make(chan struct{})}
	signal.Notify(s.ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case <-s.ch:
			closeApp()
		case <-s.done:
		}
	}()
	return s
}

// takeOver makes the signals the app's alone. Fyne's desktop driver
// listens for them too, from the start of its loop, and quits the loop at
// once: before the session's work had ended, whose last screen updates
// then ran off the UI goroutine, racing the loop's last frame (a data
// race that made the app exit with 66 under the race detector).
// closeInOrder quits the loop itself, after the session.
func (s *appSignals) takeOver() {
	signal.Reset(os.Interrupt, syscall.SIGTERM)
	signal.Notify(s.ch, os.Interrupt, syscall.SIGTERM)
}

// stop stops listening.
func (s *appSignals) stop() {
	signal.Stop(s.ch)
	close(s.done)
}

// closeInOrder closes the app once ctx ends (a signal, the window's close
// button). The session's work ends first, while the window's loop still
// runs, so that its last screen updates land; then quit stops the loop.
// Work still under way when the loop had stopped got its screen updates
// run off the UI goroutine. The parts are closed after the loop has
// ended (run does that); when it has not ended grace after quit — Fyne
// 2.7.1's loop can miss an event that arrives as it drains, and then
// never returns — they are closed here and exit ends the process.
func closeInOrder(ctx context.Context, st *startUp, quit func(), loopEnded <-chan struct{}, grace time.Duration, exit func(int), log *slog.Logger) {
	select {
	case <-ctx.Done():
	case <-loopEnded:
		return // quit by the window itself
	}
	log.Info("closing")
	st.endSession(log)
	quit()
	select {
	case <-loopEnded:
	case <-time.After(grace):
		log.Warn("the window's loop did not end after quit; closing without it", "waited", grace)
		exit(st.finish(log))
	}
}

// startUp starts the app's parts once the window shows and closes them
// at the end, once.
type startUp struct {
	ready    chan struct{} // closed when start-up has ended, well or not
	signals  *appSignals   // taken over from Fyne once the screens show
	parts    *appParts
	startErr error

	mu      sync.Mutex
	begun   bool // run was started
	closing bool // started was asked: run may no longer start

	waited  sync.Once
	running bool // the parts started; set by started
	failed  bool // start-up failed other than by the app closing

	finished sync.Once
}

// run starts the parts behind win and shows the session's screens, or
// why the app could not start; links (vienreiz://… or https://HOST/open/…,
// P7) then open their screens.
func (st *startUp) run(ctx context.Context, sf *appFlags, a fyne.App, win fyne.Window, links []string, started time.Time, stderr io.Writer, log *slog.Logger) {
	defer close(st.ready)
	st.parts, st.startErr = startParts(ctx, sf, a, askPIN(ctx, win), log)
	if st.startErr != nil {
		fmt.Fprintf(stderr, "vienreiz: %v\n", st.startErr)
		fyne.Do(func() { ui.Show(win, ui.StartFailed(st.startErr.Error(), a.Quit)) })
		return
	}
	parts := st.parts
	// Start-up's garbage (the PIN's key derivation alone uses 64 MiB)
	// goes back to the system now rather than when the scavenger gets
	// to it, and the heap grows by a fifth from here on (the screens are
	// built under the app's goal: built under the default, they left
	// 3 MiB more resident). Again once the first screens' loads have
	// ended (with the embedded service answering them) and the loop has
	// shown their results: the runtime kept the ~3 MiB they left for as
	// long as the app ran (150.7 MiB resident from 3 s to 70 s after
	// start).
	debug.FreeOSMemory()
	gcgoal.Set(gcgoal.App)
	built := onUI(ctx, func() {
		ui.Build(win, parts.session)
		if parts.pinFile != nil { // the PIN again after a while away
			lock := &ui.Relock{Win: win, After: ui.RelockAfter, Check: parts.pinFile.CheckPIN,
				Background: func(f func()) { go f() }, Now: time.Now}
			a.Lifecycle().SetOnExitedForeground(lock.Away)
			a.Lifecycle().SetOnEnteredForeground(func() { lock.Back() })
		}
		// Fyne's listener registered as its loop started (on a goroutine
		// of its own, so not yet when the window showed).
		st.signals.takeOver()
		log.Info("app started", "since_launch", time.Since(started).Round(time.Millisecond), "language", parts.session.Language.Code())
		for _, link := range links {
			if err := parts.session.Links.Follow(link); err != nil {
				log.Warn("not a link to a screen", "link", link, "err", err)
			}
		}
	})
	if !built {
		return
	}
	settle, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if parts.session.Settle(settle) == nil && onUI(ctx, func() {}) {
		debug.FreeOSMemory()
	}
}

// onUI runs f on Fyne's loop and waits until it has run, or until ctx
// ends (as the app closes, the loop may never run it); it reports
// whether f ran.
func onUI(ctx context.Context, f func()) bool {
	done := make(chan struct{})
	fyne.Do(func() {
		defer close(done)
		f()
	})
	select {
	case <-done:
		return true
	case <-ctx.Done():
		return false
	}
}

// begin reports whether start-up may begin: not once the app closes.
func (st *startUp) begin() bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.begun = !st.closing
	return st.begun
}

// started waits (once, at most 30 s) for start-up to end and reports
// whether the parts run. A start-up that has not begun (the window
// never showed: the phone driver shows it at its first size) never
// will: there is nothing to wait for or close.
func (st *startUp) started(log *slog.Logger) bool {
	st.waited.Do(func() {
		st.mu.Lock()
		st.closing = true
		begun := st.begun
		st.mu.Unlock()
		if !begun {
			return
		}
		select {
		case <-st.ready:
			st.running = st.startErr == nil
			// Closing the app on its PIN screen is no failure.
			st.failed = st.startErr != nil && !errors.Is(st.startErr, context.Canceled)
		case <-time.After(30 * time.Second):
			log.Error("start-up did not finish 30 s after the app was closed")
			st.failed = true
		}
	})
	return st.running
}

// endSession ends the session's background work (streams, calls) and
// waits for it, up to 10 s.
func (st *startUp) endSession(log *slog.Logger) {
	if st.started(log) && !st.parts.session.Close(10*time.Second) {
		log.Error("the session's background work did not stop within 10 s")
	}
}

// finish closes what start-up started, once, and gives the exit code: 1
// when start-up failed.
func (st *startUp) finish(log *slog.Logger) int {
	st.finished.Do(func() {
		if st.started(log) {
			st.parts.close(log)
		}
	})
	if st.failed {
		return 1
	}
	return 0
}

// appParts is what the app runs behind its window.
type appParts struct {
	// pinFile is the PIN-sealed secrets file, where the system has no
	// secret store: the app asks for its PIN again after a while away.
	pinFile *secrets.File
	session *app.Session
	// svc is the exchange service the session talks to.
	svc service
}

// startParts opens the secret store, starts the sign-in provider and the
// exchange service (or asks the running one given by -service where
// people sign in), and makes the session the screens show. Errors say
// which part did not start; what did start is closed again.
func startParts(ctx context.Context, sf *appFlags, a fyne.App, ask device.AskPIN, log *slog.Logger) (_ *appParts, err error) {
	p := &appParts{}
	defer func() {
		if err != nil {
			p.close(log)
		}
	}()
	var store secrets.Store
	if sf.Service != "" {
		if store, err = device.OpenSecretStore(ctx, sf.DataDir, ask, log); err != nil {
			return nil, err
		}
		p.svc, err = remoteService(ctx, sf)
	} else {
		p.svc, store, err = sf.startEmbedded(ctx, ask, log)
	}
	if err != nil {
		return nil, err
	}
	svc := p.svc
	if store == nil {
		store = secrets.Memory() // sessions last this run only
	}
	p.pinFile, _ = store.(*secrets.File)
	// Files, pages and the sign-in page open with the system's apps
	// (device.Opener: on Linux xdg-open, which also serves Fyne's mobile
	// simulation, whose own opener opens nothing), told when none did.
	open := device.Opener(a.OpenURL)
	flow, err := signin.New(ctx, svc.signIn, store, openBrowser(open), log)
	if err != nil {
		return nil, err
	}
	account := app.NewAccount(flow, log)
	account.UsePairing(client.New(svc.url), store) // a phone signed in by the desktop's pairing code
	api := client.New(svc.url).WithTokenFunc(account.Token)
	api.OnRefused(account.Refused)
	p.session = app.NewSession(api, a.Preferences(), app.About{
		Version:    buildinfo.Version(),
		ServiceURL: svc.url,
		DataDir:    svc.dataDir,
	}, log)
	p.session.UseAccount(account)
	// The copies of documents given to the system's viewer live in the
	// user's cache folder while they are needed; what an earlier run left
	// (a crash, a power cut) goes now.
	if cache, err := os.UserCacheDir(); err == nil {
		p.session.Wallet.Opened = app.NewOpenedDocuments(filepath.Join(cache, "vienreiz", "documents"), log)
	}
	p.session.Wallet.Opened.Clear()
	p.session.Open = func(u *url.URL) error {
		err := open(u)
		if err != nil {
			log.Warn("no app opened a file", "url", u.Redacted(), "err", err)
		}
		return err
	}
	p.session.Go(func(ctx context.Context) { p.session.Inbox.Run(ctx, api) })
	// A session kept from an earlier run carries on without a browser.
	p.session.Go(func(ctx context.Context) { account.Resume(ctx) })
	return p, nil
}

// close ends the session (its streams and calls), then stops the
// embedded exchange service and sign-in provider, if they run.
func (p *appParts) close(log *slog.Logger) {
	if p.session != nil && !p.session.Close(10*time.Second) {
		log.Error("the session's background work did not stop within 10 s")
	}
	if p.svc.stop != nil {
		p.svc.stop(log)
	}
}

// openBrowser shows the identity provider's sign-in page with open, and
// reports when no browser showed it.
func openBrowser(open func(*url.URL) error) func(string) error {
	return func(raw string) error {
		u, err := url.Parse(raw)
		if err != nil {
			return err
		}
		return open(u)
	}
}

// askPIN shows the PIN screen in win and waits for the person's PIN (the
// secrets file's, where the system has no secret store); the start-up
// screen comes back once it is given.
func askPIN(ctx context.Context, win fyne.Window) device.AskPIN {
	return func(setting bool, problem string) (string, error) {
		given := make(chan string, 1)
		fyne.Do(func() {
			ui.ShowPINScreen(win, setting, problem, func(pin string) {
				ui.Show(win, ui.Starting())
				given <- pin
			})
		})
		select {
		case pin := <-given:
			return pin, nil
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
}
