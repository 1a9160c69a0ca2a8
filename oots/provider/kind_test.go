package provider

import (
	"testing"
)

// TestEveryDemoTypeHasAKind: each evidence type of the demo directory gets
// specific demo fields, not the generic record.
func TestEveryDemoTypeHasAKind(t *testing.T) {
	c := demoCatalog(t)
	if len(c.offers) < 25 {
		t.Fatalf("catalog has %d evidence types, want every demo type (27)", len(c.offers))
	}
	for _, o := range c.offers {
		if k := kindOf(o.Type.Titles.Get("EN")); k == kindGeneric {
			t.Errorf("%s %q has no demo kind", o.Country, o.Type.Titles.Get("EN"))
		}
	}
}
