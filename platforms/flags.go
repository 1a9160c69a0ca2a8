package platforms

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/vienreiz/vienreiz/oots/exchange"
)

// ServiceFlags are the settings of the exchange service that the app and
// the headless server share, each with its environment variable.
type ServiceFlags struct {
	Listen   string
	DataDir  string
	Database string
	LogLevel string
	LogJSON  bool
}

// Register adds the flags to fs; defaultListen is the address used when
// neither the flag nor VIENREIZ_LISTEN is set.
func (f *ServiceFlags) Register(fs *flag.FlagSet, defaultListen string) {
	fs.StringVar(&f.Listen, "listen", envOr("VIENREIZ_LISTEN", defaultListen), "address of the exchange service's REST API (VIENREIZ_LISTEN)")
	fs.StringVar(&f.DataDir, "data-dir", "", "folder for the SQLite database ("+DataDirEnv+"; default $XDG_DATA_HOME/vienreiz)")
	fs.StringVar(&f.Database, "database", os.Getenv("VIENREIZ_DATABASE"), "postgres://… URL or SQLite file path; overrides -data-dir (VIENREIZ_DATABASE)")
	fs.StringVar(&f.LogLevel, "log-level", envOr("VIENREIZ_LOG_LEVEL", "info"), "debug, info, warn or error (VIENREIZ_LOG_LEVEL)")
	fs.BoolVar(&f.LogJSON, "log-json", os.Getenv("VIENREIZ_LOG_JSON") == "1", "write logs as JSON lines (VIENREIZ_LOG_JSON=1)")
}

// Logger builds the structured logger the flags ask for, writing to w.
func (f *ServiceFlags) Logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(f.LogLevel)); err != nil {
		return nil, fmt.Errorf("-log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: level}
	if f.LogJSON {
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return slog.New(slog.NewTextHandler(w, opts)), nil
}

// Config returns the exchange service configuration, with the default
// data directory when neither a folder nor a database was given.
func (f *ServiceFlags) Config(log *slog.Logger) (exchange.Config, error) {
	cfg := exchange.Config{Listen: f.Listen, DataDir: f.DataDir, Database: f.Database, Logger: log}
	if cfg.DataDir == "" && cfg.Database == "" {
		d, err := DataDir("")
		if err != nil {
			return cfg, err
		}
		cfg.DataDir = d
	}
	return cfg, nil
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
