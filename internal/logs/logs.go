// Package logs builds the structured logger of the app and the service
// from their -log-level and -log-json settings.
package logs

import (
	"cmp"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
)

// Flags are the -log-level and -log-json settings, each with its
// environment variable.
type Flags struct {
	LogLevel string
	LogJSON  bool
}

// Register adds the flags to fs.
func (f *Flags) Register(fs *flag.FlagSet) {
	fs.StringVar(&f.LogLevel, "log-level", cmp.Or(os.Getenv("VIENREIZ_LOG_LEVEL"), "info"), "debug, info, warn or error (VIENREIZ_LOG_LEVEL)")
	fs.BoolVar(&f.LogJSON, "log-json", os.Getenv("VIENREIZ_LOG_JSON") == "1", "write logs as JSON lines (VIENREIZ_LOG_JSON=1)")
}

// Logger builds the logger the flags ask for, writing to w.
func (f *Flags) Logger(w io.Writer) (*slog.Logger, error) {
	return New(w, f.LogLevel, f.LogJSON)
}

// New returns a logger writing to w at level ("debug", "info", "warn" or
// "error"), as JSON lines when json is set, else as text.
func New(w io.Writer, level string, json bool) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("-log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: l}
	if json {
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return slog.New(slog.NewTextHandler(w, opts)), nil
}
