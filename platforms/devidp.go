//go:build !nodemo

package platforms

import (
	"context"
	"log/slog"

	"github.com/vienreiz/vienreiz/identity"
	"github.com/vienreiz/vienreiz/identity/devidp"
	"github.com/vienreiz/vienreiz/oots/demonet"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// isDemoNetwork reports whether n is the demo network; any other is
// production, where the development provider is refused.
func isDemoNetwork(n exchange.Network) bool {
	switch n.(type) {
	case demonet.Embedded, demonet.Shared, *demonet.Embedded, *demonet.Shared:
		return true
	}
	return false
}

// startDevIdP starts the development identity provider, keeping its
// keys and refresh tokens in stateFile ("" keeps nothing); production
// refuses it.
func startDevIdP(ctx context.Context, listen, stateFile string, production bool, log *slog.Logger) (identity.Provider, func(context.Context) error, error) {
	idp, err := devidp.Start(ctx, devidp.Options{Listen: listen, StateFile: stateFile, Production: production, Log: log})
	if err != nil {
		return identity.Provider{}, nil, err
	}
	return idp.Provider(), idp.Close, nil
}
