//go:build noservice

package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"os"

	"github.com/vienreiz/vienreiz/internal/logs"
	"github.com/vienreiz/vienreiz/platforms/device"
	"github.com/vienreiz/vienreiz/platforms/secrets"
)

// hasEmbeddedService: this build links no exchange service (nor its
// SQLite, PostgreSQL and AS4 code) and talks to a running one only.
const hasEmbeddedService = false

// startsWhat is what the usage says the app starts.
const startsWhat = "of a running exchange service (-service)"

// embeddedFlags are the app's own settings where no service is embedded:
// those of platforms.ServiceFlags the app uses itself, by the same names.
type embeddedFlags struct {
	DataDir, LogLevel        string
	LogJSON                  bool
	OIDCIssuer, OIDCClientID string
}

func (f *embeddedFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.DataDir, "data-dir", "", "folder for the app's secret store ("+device.DataDirEnv+"; default $XDG_DATA_HOME/vienreiz)")
	fs.StringVar(&f.LogLevel, "log-level", cmp.Or(os.Getenv("VIENREIZ_LOG_LEVEL"), "info"), "debug, info, warn or error (VIENREIZ_LOG_LEVEL)")
	fs.BoolVar(&f.LogJSON, "log-json", os.Getenv("VIENREIZ_LOG_JSON") == "1", "write logs as JSON lines (VIENREIZ_LOG_JSON=1)")
	fs.StringVar(&f.OIDCIssuer, "oidc-issuer", os.Getenv("VIENREIZ_OIDC_ISSUER"), "issuer URL of the OpenID Connect provider people sign in with; without it the service names it (VIENREIZ_OIDC_ISSUER)")
	fs.StringVar(&f.OIDCClientID, "oidc-client-id", os.Getenv("VIENREIZ_OIDC_CLIENT_ID"), "the app's client id at that provider (VIENREIZ_OIDC_CLIENT_ID)")
}

// Logger builds the structured logger the flags ask for, writing to w.
func (f *embeddedFlags) Logger(w io.Writer) (*slog.Logger, error) {
	return logs.New(w, f.LogLevel, f.LogJSON)
}

// startEmbedded is not reached: check refuses to start without -service.
func (f *embeddedFlags) startEmbedded(context.Context, device.AskPIN, *slog.Logger) (service, secrets.Store, error) {
	return service{}, nil, errors.New("this build has no exchange service of its own")
}
