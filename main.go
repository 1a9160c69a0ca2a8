// Command vienreiz is the Vienreiz app: the Fyne user interface with the
// exchange service and the demo data embedded. `go run .` starts it.
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
	"github.com/vienreiz/vienreiz/oots/exchange"
	"github.com/vienreiz/vienreiz/platforms"
	"github.com/vienreiz/vienreiz/platforms/secrets"
	"github.com/vienreiz/vienreiz/ui"
)

// appID is the application id of FyneApp.toml and the stores.
const appID = "lv.vienreiz.app"

func main() {
	platforms.PrivateFiles()
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) (code int) {
	started := time.Now()
	fs := flag.NewFlagSet("vienreiz", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sf platforms.ServiceFlags
	sf.Register(fs, exchange.DefaultListen)
	fs.Usage = func() {
		fmt.Fprint(stderr, "vienreiz starts the Vienreiz app with its exchange service and demo data.\n\nUsage:\n  vienreiz [flags] [LINK]\n\nLINK (vienreiz://… or https://HOST/open/…) opens that screen, e.g. vienreiz://services/lv-birth-certificate.\n\nFlags (each can also be set by the environment variable shown):\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	log, err := sf.Logger(stderr)
	if err != nil {
		fmt.Fprintf(stderr, "vienreiz: %v\n", err)
		return 2
	}
	slog.SetDefault(log)
	store, err := sf.UseSecretStore(context.Background(), log)
	if err != nil {
		fmt.Fprintf(stderr, "vienreiz: %v\n", err)
		return 1
	}
	cfg, err := sf.Config(log)
	if err != nil {
		fmt.Fprintf(stderr, "vienreiz: %v\n", err)
		return 1
	}
	if msg := platforms.DisplayProblem(); msg != "" {
		fmt.Fprintf(stderr, "vienreiz: %s\n", msg)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	id, err := sf.Identity(ctx, cfg, log)
	if err != nil {
		fmt.Fprintf(stderr, "vienreiz: sign-in: %v\n", err)
		return 1
	}
	defer id.Close(context.Background())
	cfg.Auth = id.Auth
	// VIENREIZ_DESK=1 shows the clerk's desk (for a clerk's sign-in).
	clerk := os.Getenv("VIENREIZ_DESK") == "1"
	srv, err := exchange.Start(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "vienreiz: cannot start the exchange service: %v\n", err)
		return 1
	}
	defer func() {
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Close(shutdown); err != nil {
			log.Error("exchange service shutdown", "err", err)
		}
	}()

	defer func() {
		// The desktop driver panics when the display cannot be opened.
		if p := recover(); p != nil {
			fmt.Fprintf(stderr, "vienreiz: cannot open a window: %v\n", p)
			code = 1
		}
	}()
	a := fyneapp.NewWithID(appID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.IconPNG()))
	if store == nil {
		store = secrets.Memory() // sessions last this run only
	}
	flow, err := signin.New(ctx, id.Provider, store, openBrowser(a), log)
	if err != nil {
		fmt.Fprintf(stderr, "vienreiz: %v\n", err)
		return 1
	}
	account := app.NewAccount(flow, log)
	api := client.New(srv.URL()).WithTokenFunc(account.Token)
	session := app.NewSession(api, a.Preferences(), app.About{
		Version:    buildinfo.Version(),
		ServiceURL: srv.URL(),
		DataDir:    cfg.DataDir,
	}, log)
	session.Clerk = clerk
	session.UseAccount(account)
	go session.Inbox.Run(ctx, api)
	win := a.NewWindow("Vienreiz")
	ui.Build(win, session)
	win.Resize(fyne.NewSize(1024, 720))
	a.Lifecycle().SetOnStarted(func() {
		// A session kept from an earlier run carries on without a browser.
		session.Background(func() { account.Resume(ctx) })
		log.Info("app started", "since_launch", time.Since(started).Round(time.Millisecond), "language", session.Language.Code())
		for _, link := range fs.Args() { // vienreiz://… or https://HOST/open/… (P7)
			if err := session.Links.Follow(link); err != nil {
				log.Warn("not a link to a screen", "link", link, "err", err)
			}
		}
	})
	go func() {
		<-ctx.Done()
		log.Info("signal received, closing")
		fyne.Do(a.Quit)
	}()
	win.ShowAndRun()
	return 0
}

// openBrowser shows the identity provider's sign-in page in the system
// browser.
func openBrowser(a fyne.App) func(string) error {
	return func(raw string) error {
		u, err := url.Parse(raw)
		if err != nil {
			return err
		}
		return a.OpenURL(u)
	}
}
