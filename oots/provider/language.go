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
	"Employees insured":              "Apdrošināto darbinieku skaits",
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

// viewLanguage is the language a preview and the evidence it releases
// are in: want (ISO 639-1, any case) when the provider offers it, else
// English.
func viewLanguage(svc commonsvc.DataService, want string) string {
	want = strings.ToLower(want)
	if slices.Contains(offeredLanguages(svc), want) {
		return want
	}
	return "en"
}

// providerName is the provider's name in language, else in English.
func providerName(svc commonsvc.DataService, language string) string {
	if n := textIn(agentOf(svc).Names, language); n != "" {
		return n
	}
	if n := textIn(agentOf(svc).Names, "EN"); n != "" {
		return n
	}
	return agentOf(svc).Names[0].Value
}

// speech writes the demo registers' texts in English or, for a Latvian
// reader, in Latvian.
type speech struct{ latvian bool }

// code is the language's ISO 639-1 code.
func (sp speech) code() string { return sp.say("en", "lv") }

// say is en, or lv in Latvian.
func (sp speech) say(en, lv string) string {
	if sp.latvian {
		return lv
	}
	return en
}

// name is a field name given in English, in the language.
func (sp speech) name(en string) string {
	if lv := latvian[en]; sp.latvian && lv != "" {
		return lv
	}
	return en
}

// orUnknown is s, or a note that the request did not give it.
func (sp speech) orUnknown(s string) string {
	if strings.TrimSpace(s) == "" {
		return sp.say("(not given)", "(nav norādīts)")
	}
	return s
}

// latvianGenitive are the demo's Latvian cities as they stand before an
// institution's name ("Rīgas Valsts ģimnāzija").
var latvianGenitive = map[string]string{"Rīga": "Rīgas", "Daugavpils": "Daugavpils", "Liepāja": "Liepājas"}

// ofCity names an institution of city: "Rīga University", "Rīgas
// Universitāte"; in Latvian a city whose genitive is not known follows
// ("Universitāte (Tartu)").
func (sp speech) ofCity(city, en, lv string) string {
	if !sp.latvian {
		return city + " " + en
	}
	if g := latvianGenitive[city]; g != "" {
		return g + " " + lv
	}
	return lv + " (" + city + ")"
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
