//go:build !nodemo

package platforms

import (
	"github.com/vienreiz/vienreiz/oots/demonet"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// demoNetwork is the demo member state: shared from its folder, or else
// embedded.
func demoNetwork(memberState string) (exchange.Network, error) {
	if memberState != "" {
		return demonet.Shared{Dir: memberState}, nil
	}
	return demonet.Embedded{}, nil
}
