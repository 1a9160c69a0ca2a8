//go:build nodemo

package platforms

import (
	"errors"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// demoNetwork refuses: a nodemo build links no demo and needs -network.
func demoNetwork(string, string) (exchange.Network, error) {
	return nil, errors.New("-network is required: this build (nodemo) has no demo network")
}

// demoCitizens is empty: a nodemo build has no demo people.
func demoCitizens() []exchange.Principal { return nil }

// demoCompanyMandates is empty: a nodemo build has no demo companies.
func demoCompanyMandates() []api.NewMandate { return nil }
