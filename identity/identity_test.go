package identity

import (
	"strings"
	"testing"
)

func TestLevels(t *testing.T) {
	for acr, want := range map[string]string{ACRLow: LevelLow, ACRSubstantial: LevelSubstantial, ACRHigh: LevelHigh} {
		got, ok := LevelFromACR(acr)
		if !ok || got != want {
			t.Errorf("LevelFromACR(%q) = %q, %v; want %q", acr, got, ok, want)
		}
		if ACR(want) != acr {
			t.Errorf("ACR(%q) = %q, want %q", want, ACR(want), acr)
		}
	}
	if _, ok := LevelFromACR("urn:something:else"); ok {
		t.Error("an unknown acr mapped to a level")
	}
	cases := []struct {
		have, need string
		ok         bool
	}{
		{LevelHigh, LevelSubstantial, true}, {LevelSubstantial, LevelSubstantial, true},
		{LevelLow, LevelSubstantial, false}, {"", LevelLow, false}, {"Bogus", LevelLow, false},
		{LevelLow, "", true}, {LevelHigh, "Bogus", false},
	}
	for _, c := range cases {
		if got := AtLeast(c.have, c.need); got != c.ok {
			t.Errorf("AtLeast(%q, %q) = %v", c.have, c.need, got)
		}
	}
}

func TestProviderNormalized(t *testing.T) {
	p, err := Provider{Issuer: "https://eid.example.lv", ClientID: "app", Claims: Claims{Identifier: "eidas_id"}}.Normalized()
	if err != nil {
		t.Fatal(err)
	}
	if p.Audience != "app" || p.Claims.Identifier != "eidas_id" || p.Claims.GivenName != "given_name" || p.Claims.ACR != "acr" {
		t.Errorf("normalized %+v", p)
	}
	for _, bad := range []Provider{{ClientID: "a"}, {Issuer: "eid.example.lv", ClientID: "a"}, {Issuer: "https://eid.example.lv"}} {
		if _, err := bad.Normalized(); err == nil || !strings.Contains(err.Error(), "identity provider") {
			t.Errorf("%+v: %v", bad, err)
		}
	}
}
