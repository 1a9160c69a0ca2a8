//go:build !nodemo

package platforms

import (
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/identity/devidp"
	"github.com/vienreiz/vienreiz/oots/demonet"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// demoNetwork is the demo member state: shared from its folder, or else
// embedded with its key stores sealed with password.
func demoNetwork(memberState, password string) (exchange.Network, error) {
	if memberState != "" {
		return demonet.Shared{Dir: memberState}, nil
	}
	return demonet.Embedded{Password: password}, nil
}

// demoCitizens are the demo citizen and the development provider's other
// citizens, in order: each citizen token of -demo-tokens signs in as the
// next of them.
func demoCitizens() []exchange.Principal {
	out := []exchange.Principal{exchange.DemoCitizen()}
	for _, p := range devidp.DemoPeople() {
		if p.Role == "" && p.GivenName != out[0].GivenName {
			out = append(out, exchange.Principal{Subject: p.Identifier, GivenName: p.GivenName, FamilyName: p.FamilyName, DateOfBirth: p.DateOfBirth})
		}
	}
	return out
}

// demoCompanyMandates let the development provider's company
// representatives act for their company (exchange.Config.CompanyMandates):
// Līga for Baltic Timber SIA, for a year from the service's first start.
func demoCompanyMandates() []api.NewMandate {
	id, name := devidp.DemoCompany()
	var out []api.NewMandate
	for _, p := range devidp.DemoPeople() {
		if p.Represents == id {
			out = append(out, api.NewMandate{Representative: p.Identifier, RepresentativeName: p.GivenName + " " + p.FamilyName,
				Represented: id, RepresentedName: name, ValidUntil: time.Now().AddDate(1, 0, 0)})
		}
	}
	return out
}
