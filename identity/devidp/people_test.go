package devidp_test

import (
	"testing"

	"github.com/vienreiz/vienreiz/identity/devidp"
	"github.com/vienreiz/vienreiz/oots/eidas"
)

// TestDemoPeopleHaveEIDASIdentifiers: every demo account's identifier is
// one the requester can put in a QueryRequest. Jānis's "LV/LV/010190-12345"
// was not (the unique part must start with 9 letters or digits): signed
// in as him in the app, every evidence request failed with EBMS:0004.
func TestDemoPeopleHaveEIDASIdentifiers(t *testing.T) {
	for _, p := range devidp.DemoPeople() {
		if _, err := eidas.ParseID(p.Identifier); err != nil {
			t.Errorf("%s: %v", p.Username, err)
		}
	}
}
