// Command server runs the Vienreiz exchange service headless: the same
// code the app embeds, for servers and scale-out (CGO_ENABLED=0).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/vienreiz/vienreiz/internal/buildinfo"
	"github.com/vienreiz/vienreiz/oots/exchange"
	"github.com/vienreiz/vienreiz/platforms"
)

const usage = `vienreiz-server runs the Vienreiz exchange service without the app.

Usage:
  vienreiz-server [flags]

Flags (each can also be set by the environment variable shown):
`

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("vienreiz-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", envOr("VIENREIZ_LISTEN", "127.0.0.1:8080"), "address to serve the REST API on (VIENREIZ_LISTEN)")
	dataDir := fs.String("data-dir", "", "folder for the SQLite database (VIENREIZ_DATA_DIR; default $XDG_DATA_HOME/vienreiz)")
	database := fs.String("database", os.Getenv("VIENREIZ_DATABASE"), "postgres://… URL or SQLite file path; overrides -data-dir (VIENREIZ_DATABASE)")
	logLevel := fs.String("log-level", envOr("VIENREIZ_LOG_LEVEL", "info"), "debug, info, warn or error (VIENREIZ_LOG_LEVEL)")
	logJSON := fs.Bool("log-json", os.Getenv("VIENREIZ_LOG_JSON") == "1", "write logs as JSON lines (VIENREIZ_LOG_JSON=1)")
	version := fs.Bool("version", false, "print the version and exit")
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *version {
		fmt.Fprintln(stderr, "vienreiz-server", buildinfo.Version())
		return 0
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(stderr, "vienreiz-server: -log-level: %v\n", err)
		return 2
	}
	opts := &slog.HandlerOptions{Level: level}
	var handler slog.Handler = slog.NewTextHandler(stderr, opts)
	if *logJSON {
		handler = slog.NewJSONHandler(stderr, opts)
	}
	log := slog.New(handler)

	if *dataDir == "" && *database == "" {
		d, err := platforms.DataDir("")
		if err != nil {
			fmt.Fprintf(stderr, "vienreiz-server: %v\n", err)
			return 1
		}
		*dataDir = d
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv, err := exchange.Start(ctx, exchange.Config{Listen: *listen, DataDir: *dataDir, Database: *database, Logger: log})
	if err != nil {
		fmt.Fprintf(stderr, "vienreiz-server: %v\n", err)
		return 1
	}
	<-ctx.Done()
	log.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Close(shutdown); err != nil {
		fmt.Fprintf(stderr, "vienreiz-server: shutdown: %v\n", err)
		return 1
	}
	return 0
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
