package demonode

import (
	"testing"

	"github.com/vienreiz/vienreiz/oots/commonsvc"
	"github.com/vienreiz/vienreiz/oots/commonsvc/demodir"
)

// TestProviderIDs: the demo provider answers to its own access point id
// and to the DSD party ids of the directory, including those reached only
// through a provider classification (fi-kela, fi-etk); ids behind a
// jurisdiction question are not reachable by walking the directory.
func TestProviderIDs(t *testing.T) {
	dir, err := demodir.Directory()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, id := range providerIDs(dir) {
		if got[id.Value] {
			t.Errorf("party id %s listed twice", id.Value)
		}
		got[id.Value] = true
	}
	for _, want := range []string{"AP_DEMO_01", "demo-lv-pmlp", "demo-lv-vid", "demo-ee-ariregister", "demo-fi-dvv", "demo-fi-kela", "demo-fi-etk", "demo-de-handelsregister"} {
		if !got[want] {
			t.Errorf("party id %s missing (have %d ids)", want, len(got))
		}
	}
	for _, id := range providerIDs(dir)[1:] {
		if _, ok := dir.Service((commonsvc.PartyID{Type: id.Type, Value: id.Value}).URN()); !ok {
			t.Errorf("party id %s is not a data service of the directory", id.Value)
		}
	}
}
