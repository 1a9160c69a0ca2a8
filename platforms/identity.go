package platforms

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/identity"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// Identity is the sign-in side of a running service: the provider the app
// signs in with and the authenticator of the service's API.
type Identity struct {
	// Provider is the identity provider: the configured one, or the
	// development provider of the embedded default.
	Provider identity.Provider
	// Auth checks each API call's access token (and the demo tokens, when
	// some were given).
	Auth exchange.Authenticator
	// Development is true when Provider is the development provider.
	Development bool
	// CompanyMandates let the development provider's company
	// representatives act for their company (exchange.Config's); none
	// with another provider.
	CompanyMandates []api.NewMandate
	stop            func(context.Context) error
}

// Close stops the development provider, if it runs.
func (id *Identity) Close(ctx context.Context) error {
	if id.stop == nil {
		return nil
	}
	return id.stop(ctx)
}

// DevIdPStateFile is the development provider's file in the data folder:
// its signing keys and refresh tokens, so sessions survive a restart.
const DevIdPStateFile = "dev-idp-state.json"

// StartIdentity sets up sign-in: with a configured provider (its issuer
// set), tokens of that provider; otherwise the development provider,
// started on devListen and keeping its sessions in dataDir (nothing when
// ""), which production (a service with a network file) refuses. demo
// bearer tokens, when given, are accepted as well.
func StartIdentity(ctx context.Context, configured identity.Provider, production bool, devListen, dataDir string, demo exchange.BearerTokens, log *slog.Logger) (*Identity, error) {
	id := &Identity{Provider: configured}
	if configured.Issuer == "" {
		state := ""
		if dataDir != "" {
			// The provider's file is the first thing written there: a
			// data directory that cannot be one is named as such.
			if err := os.MkdirAll(dataDir, 0o700); err != nil {
				return nil, fmt.Errorf("data directory %s cannot be created: %w", dataDir, err)
			}
			state = filepath.Join(dataDir, DevIdPStateFile)
		}
		p, stop, err := startDevIdP(ctx, devListen, state, production, log)
		if err != nil {
			return nil, err
		}
		id.Provider, id.stop, id.Development, id.CompanyMandates = p, stop, true, demoCompanyMandates()
	}
	tokens, err := exchange.NewOIDCTokens(ctx, id.Provider, exchange.OIDCOptions{Log: log})
	if err != nil {
		id.Close(ctx)
		return nil, err
	}
	id.Auth = tokens
	if len(demo) > 0 {
		id.Auth = exchange.FirstOf{demo, tokens}
	}
	return id, nil
}
