package commonsvc

import (
	"strings"
	"testing"
)

// TestEncodeAddsNoLang: a text read without a lang attribute is written
// back without one; one with a lang keeps it.
func TestEncodeAddsNoLang(t *testing.T) {
	ts := []DataServiceEvidenceType{{
		ID: "et-1", Classification: "https://sr.oots.tech.europa.eu/evidencetypeclassifications/LV/x",
		Titles: Texts{{Value: "No language"}, {Lang: "LV", Value: "Latviski"}},
	}}
	out, err := EncodeDataServices(ts, "k")
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseDataServices(out)
	if err != nil {
		t.Fatal(err)
	}
	if got := back[0].Titles; len(got) != 2 || got[0].Lang != "" || got[1].Lang != "LV" {
		t.Errorf("titles after a round trip: %+v\n%s", got, out)
	}
	if strings.Contains(string(out), `lang="EN"`) {
		t.Errorf("an EN lang attribute was invented:\n%s", out)
	}
}
