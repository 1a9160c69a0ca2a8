package provider

import (
	"regexp"
	"slices"
	"strings"

	"github.com/vienreiz/vienreiz/oots/commonsvc"
	"github.com/vienreiz/vienreiz/oots/edm"
)

var languageRE = regexp.MustCompile(`^[a-zA-Z]{2}$`)

// Latvian texts of the demo registers' field names and legal basis. The
// demo provider offers English and, where the directory names it in
// Latvian, Latvian.
var latvian = map[string]string{
	"Person identifier":              "Personas identifikators",
	"Family name":                    "Uzvārds",
	"Given name":                     "Vārds",
	"Date of birth":                  "Dzimšanas datums",
	"Company identifier":             "Uzņēmuma identifikators",
	"Legal name":                     "Juridiskais nosaukums",
	"Issuing date":                   "Izdošanas datums",
	"Birth record number":            "Dzimšanas reģistra ieraksta numurs",
	"Contributions paid (EUR)":       "Samaksātās iemaksas (EUR)",
	"Institution":                    "Iestāde",
	"Insured periods (months)":       "Apdrošināšanas periodi (mēneši)",
	"Insured until":                  "Apdrošināts līdz",
	"Insured":                        "Apdrošināts",
	"Legal form":                     "Juridiskā forma",
	"Make and model":                 "Marka un modelis",
	"Place of birth":                 "Dzimšanas vieta",
	"Qualification":                  "Kvalifikācija",
	"Record number":                  "Ieraksta numurs",
	"Registered address":             "Deklarētā adrese",
	"Registered office":              "Juridiskā adrese",
	"Registered since":               "Reģistrēts kopš",
	"Registration number":            "Reģistrācijas numurs",
	"Status":                         "Statuss",
	"Tax debt":                       "Nodokļu parāds",
	"Taxable income last year (EUR)": "Apliekamie ienākumi pērn (EUR)",
	"Valid for":                      "Derīgs",
	"Year of award":                  "Piešķiršanas gads",
}

// offeredLanguages are the languages the provider's texts come in: English,
// and Latvian when the directory names the provider in Latvian.
func offeredLanguages(svc commonsvc.DataService) []string {
	out := []string{"en"}
	if textIn(agentOf(svc).Names, "LV") != "" {
		out = append(out, "lv")
	}
	return out
}

// localize puts the view's texts in want when the provider offers it,
// and says which language they are in.
func localize(v *View, o *offer, svc commonsvc.DataService, want string) {
	v.Languages = offeredLanguages(svc)
	v.Language = "en"
	want = strings.ToLower(want)
	if want != "lv" || !slices.Contains(v.Languages, want) {
		return
	}
	v.Language = want
	if t := o.Type.Titles.Get("LV"); t != "" {
		v.Title = t
	}
	name := textIn(agentOf(svc).Names, "LV")
	v.Provider = name
	fields := make([]Field, len(v.Fields))
	for i, f := range v.Fields {
		if lv := latvian[f.Name]; lv != "" {
			f.Name = lv
		}
		f.Source = name
		f.LegalBasis = strings.Replace(f.LegalBasis, "Regulation (EU) 2018/1724 Art. 14; register law of ", "Regula (ES) 2018/1724, 14. pants; reģistru likums: ", 1)
		fields[i] = f
	}
	v.Fields = fields
}

// textIn is the text in language code (upper case, as the directory
// writes it), "" when there is none.
func textIn(texts []edm.Text, code string) string {
	for _, t := range texts {
		if strings.EqualFold(t.Lang, code) {
			return t.Value
		}
	}
	return ""
}
