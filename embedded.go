//go:build !noservice

package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/vienreiz/vienreiz/oots/exchange"
	"github.com/vienreiz/vienreiz/platforms"
	"github.com/vienreiz/vienreiz/platforms/device"
	"github.com/vienreiz/vienreiz/platforms/secrets"
)

// hasEmbeddedService: this build can run the exchange service itself.
const hasEmbeddedService = true

// startsWhat is what the usage says the app starts.
const startsWhat = "with its exchange service and demo data, or, with -service, the app of a running service"

// embeddedFlags are the settings of the embedded exchange service, shared
// with the headless server.
type embeddedFlags struct{ platforms.ServiceFlags }

func (f *embeddedFlags) register(fs *flag.FlagSet) { f.Register(fs, exchange.DefaultListen) }

// startEmbedded opens the secret store and fills the service's secrets
// from it, then starts the sign-in provider and the embedded exchange
// service with its demo data.
func (f *embeddedFlags) startEmbedded(ctx context.Context, ask device.AskPIN, log *slog.Logger) (service, secrets.Store, error) {
	store, err := f.UseSecretStore(ctx, log, ask)
	if err != nil {
		return service{}, nil, err
	}
	cfg, err := f.Config(log)
	if err != nil {
		return service{}, nil, err
	}
	id, err := f.Identity(ctx, cfg, log)
	if err != nil {
		return service{}, nil, fmt.Errorf("sign-in: %w", err)
	}
	cfg.Auth, cfg.SignIn, cfg.CompanyMandates = id.Auth, id.Provider, id.CompanyMandates
	srv, err := exchange.Start(ctx, cfg)
	if err != nil {
		id.Close(context.Background())
		return service{}, nil, fmt.Errorf("cannot start the exchange service: %w", err)
	}
	stop := func(log *slog.Logger) {
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Close(shutdown); err != nil {
			log.Error("exchange service shutdown", "err", err)
		}
		id.Close(context.Background())
	}
	return service{url: srv.URL(), dataDir: cfg.DataDir, signIn: id.Provider, stop: stop}, store, nil
}
