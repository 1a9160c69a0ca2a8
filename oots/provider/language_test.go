package provider

import (
	"slices"
	"testing"

	"github.com/vienreiz/vienreiz/oots/commonsvc"
)

// TestLocalizeGivesOfferedLanguagesOnly (defect 3): a provider named in
// Latvian gives its preview in Latvian when asked; one that is not keeps
// English and says which languages it offers.
func TestLocalizeGivesOfferedLanguagesOnly(t *testing.T) {
	o := &offer{}
	o.Type.Titles = commonsvc.Texts{{Lang: "EN", Value: "Extract"}, {Lang: "LV", Value: "Izziņa"}}
	fields := []Field{{Name: "Family name", Value: "Bērziņš", Source: "Office", LegalBasis: "Regulation (EU) 2018/1724 Art. 14; register law of LV"}}

	lv := commonsvc.DataService{}
	lv.Provider.Names = commonsvc.Texts{{Lang: "EN", Value: "Office"}, {Lang: "LV", Value: "Pārvalde"}}
	v := View{Title: "Extract", Provider: "Office", Fields: slices.Clone(fields)}
	localize(&v, o, lv, "lv")
	if v.Language != "lv" || v.Title != "Izziņa" || v.Provider != "Pārvalde" || v.Fields[0].Name != "Uzvārds" || v.Fields[0].Source != "Pārvalde" {
		t.Fatalf("Latvian view: %+v", v)
	}
	if fields[0].Name != "Family name" {
		t.Fatal("localize changed the document's own fields")
	}

	ee := commonsvc.DataService{}
	ee.Provider.Names = commonsvc.Texts{{Lang: "EN", Value: "Registry"}, {Lang: "ET", Value: "Register"}}
	v = View{Title: "Extract", Provider: "Registry", Fields: slices.Clone(fields)}
	localize(&v, o, ee, "lv")
	if v.Language != "en" || !slices.Equal(v.Languages, []string{"en"}) || v.Fields[0].Name != "Family name" {
		t.Fatalf("view of a provider without Latvian: %+v", v)
	}
}
