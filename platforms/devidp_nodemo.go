//go:build nodemo

package platforms

import (
	"context"
	"errors"
	"log/slog"

	"github.com/vienreiz/vienreiz/identity"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// isDemoNetwork is false: a nodemo build has no demo network.
func isDemoNetwork(exchange.Network) bool { return false }

// startDevIdP refuses: a nodemo build links no development provider.
func startDevIdP(context.Context, string, string, bool, *slog.Logger) (identity.Provider, func(context.Context) error, error) {
	return identity.Provider{}, nil, errors.New("an identity provider (issuer, client id) is required: this build (nodemo) has no development provider")
}
