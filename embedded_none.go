//go:build noservice

package main

import (
	"context"
	"errors"
	"flag"
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
	DataDir                  string
	OIDCIssuer, OIDCClientID string
	logs.Flags
}

func (f *embeddedFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.DataDir, "data-dir", "", "folder for the app's secret store ("+device.DataDirEnv+"; default $XDG_DATA_HOME/vienreiz)")
	f.Flags.Register(fs)
	fs.StringVar(&f.OIDCIssuer, "oidc-issuer", os.Getenv("VIENREIZ_OIDC_ISSUER"), "issuer URL of the OpenID Connect provider people sign in with; without it the service names it (VIENREIZ_OIDC_ISSUER)")
	fs.StringVar(&f.OIDCClientID, "oidc-client-id", os.Getenv("VIENREIZ_OIDC_CLIENT_ID"), "the app's client id at that provider (VIENREIZ_OIDC_CLIENT_ID)")
}

// startEmbedded is not reached: check refuses to start without -service.
func (f *embeddedFlags) startEmbedded(context.Context, device.AskPIN, *slog.Logger) (service, secrets.Store, error) {
	return service{}, nil, errors.New("this build has no exchange service of its own")
}
