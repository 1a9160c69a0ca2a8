package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/app"
	"github.com/vienreiz/vienreiz/assets"
	"github.com/vienreiz/vienreiz/catalogue"
	"github.com/vienreiz/vienreiz/oots/exchange"
	"github.com/vienreiz/vienreiz/oots/exchange/lifecycle"
)

// TestEveryStringIsTranslated checks that the lv and en files have the
// same keys, and that every key the code uses — literally, or built from
// catalogue countries, procedures, languages and empty states — is there.
func TestEveryStringIsTranslated(t *testing.T) {
	files := map[string]map[string]any{}
	for _, code := range app.Languages {
		data, err := assets.Translations.ReadFile(assets.TranslationsDir + "/" + code + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("%s.json: %v", code, err)
		}
		files[code] = m
		// A key written twice keeps only its last text: a new message
		// named like an old one took the place of a heading.
		for _, key := range duplicateKeys(t, data) {
			t.Errorf("%s.json has %q twice", code, key)
		}
	}
	for key := range files["en"] {
		if _, ok := files["lv"][key]; !ok {
			t.Errorf("lv.json lacks %q", key)
		}
	}
	for key := range files["lv"] {
		if _, ok := files["en"][key]; !ok {
			t.Errorf("en.json lacks %q", key)
		}
	}

	used := map[string]bool{}
	literal := regexp.MustCompile(`lang\.[LNX]\("([a-z_]+(?:\.[a-z_]+)+)"[,)]`)
	for _, dir := range []string{".", "../app"} {
		sources, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, src := range sources {
			data, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range literal.FindAllStringSubmatch(string(data), -1) {
				used[m[1]] = true
			}
		}
	}
	if len(used) < 20 {
		t.Fatalf("found only %d literal keys; is the pattern still right?", len(used))
	}
	cat, err := catalogue.Parse(assets.CatalogueJSON())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range cat.Services {
		used["country."+s.Country] = true
		used["procedure."+s.Procedure] = true
	}
	for _, code := range app.Languages {
		used["language."+code] = true
	}
	for _, st := range lifecycle.States() {
		used["state."+string(st)] = true
	}
	used["event.created"] = true
	used["event.preview_viewed"] = true
	used["event.status_posted"] = true
	for _, e := range exchange.InboxEvents() {
		used["inbox."+e] = true
	}
	used["event."+exchange.EventArchived] = true
	for _, k := range lifecycle.EventKinds() {
		used["event."+string(k)] = true
	}
	for _, name := range []string{"requests", "wallet", "inbox"} {
		used["empty."+name+".title"] = true
		used["empty."+name+".body"] = true
	}
	for key := range used {
		for code, m := range files {
			if _, ok := m[key]; !ok {
				t.Errorf("%s.json lacks %q, which the app uses", code, key)
			}
		}
	}
}

// latvianTexts are the Latvian translations by key (plural forms as
// objects).
func latvianTexts(t *testing.T) map[string]any {
	t.Helper()
	data, err := assets.Translations.ReadFile(assets.TranslationsDir + "/lv.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestLatvianAddressesEveryoneAlike: the Latvian texts address the person
// with the polite "jūs", whose participles are plural ("esat
// pieteikušies"), and so do not say whether they speak to a man or a
// woman. Some said "Jūs neesat pieteicies" or "esat izgājis", singular
// and masculine, a button "Esmu atgriezies", and the acting-as choice
// offered Līga "Es pats" (found on a phone in Latvian).
// pierakstities finds the other words for signing in and out.
var pierakstities = regexp.MustCompile(`(?i)\b(pierakst|izrakst)\pL*`)

func TestLatvianAddressesEveryoneAlike(t *testing.T) {
	m := latvianTexts(t)
	// esat/neesat/būsiet (or the first person's esmu), maybe one word
	// between, then a singular masculine active participle (-is, -ies:
	// pieteicies, izgājis, devis; the plural's -ušies ends alike and is
	// let through below).
	singular := regexp.MustCompile(`(?i)\b(esat|neesat|būsiet|esmu|neesmu)( \pL+)? \pL+(is|ies)\b`)
	var texts func(key string, v any)
	texts = func(key string, v any) {
		switch v := v.(type) {
		case string:
			for _, found := range singular.FindAllString(v, -1) {
				if !strings.HasSuffix(found, "ušies") {
					t.Errorf("%s says %q: a singular masculine participle", key, found)
				}
			}
			if strings.Contains(v, "Es pats") || strings.Contains(v, "Es pati") {
				t.Errorf("%s says who acts by the speaker's gender: %q", key, v)
			}
			// Signing in is pieteikties and signing out iziet everywhere:
			// the pairing and handoff texts said pierakstīties and
			// izrakstīt (found by trying a portal code on a phone).
			if w := pierakstities.FindString(v); w != "" {
				t.Errorf("%s says %q: the app's word is pieteikties / iziet", key, w)
			}
		case map[string]any:
			for k, x := range v {
				texts(key+"."+k, x)
			}
		}
	}
	for k, v := range m {
		texts(k, v)
	}
}

// TestLatvianNamesNeedNoCase: Latvian declines names, and the app has
// them in the nominative only, so a name stands where the nominative is
// right: after a noun that carries the case ("personas Jānis Bērziņš
// vārdā", "uzņēmuma … vārdā") or after a colon. The desk said "Ieva
// Kalniņa drīkst rīkoties Jānis Bērziņš vārdā" and the administrator's
// card "… rīkoties Baltic Timber SIA vārdā", and the rows "Par Jānis
// Bērziņš" (found reading the Latvian desk and wallet).
func TestLatvianNamesNeedNoCase(t *testing.T) {
	m := latvianTexts(t)
	name := `\{\{\.(Name|Represented|Representative|Citizen|Company)\}\}`
	// A name (maybe with its identifier) before "vārdā" without the noun
	// that carries the genitive; a preposition right before a name.
	genitive := regexp.MustCompile(`(\pL+ )?` + name + `( \([^)]*\))? vārdā`)
	preposition := regexp.MustCompile(`(?i)\b(par|no|pie|ar|uz) ` + name)
	for k, x := range m {
		v, ok := x.(string)
		if !ok { // the plural forms name no one
			continue
		}
		for _, found := range genitive.FindAllStringSubmatch(v, -1) {
			if before := strings.ToLower(strings.TrimSpace(found[1])); before != "personas" && before != "uzņēmuma" {
				t.Errorf("%s: %q puts a name in the genitive", k, found[0])
			}
		}
		if found := preposition.FindString(v); found != "" {
			t.Errorf("%s: %q puts a name after a preposition", k, found)
		}
	}
}

// TestLatvianCallsEvidenceOneWay: the Latvian texts called evidence
// "apliecinājums" in the app and the catalogue ("Ienākumu apliecinājums")
// but "pierādījums" at the desk, in the portal and in some messages, and
// named the Evidence Broker both "apliecinājumu brokeris" and
// "Pierādījumu brokeris"; Mari's inbox read "Jūsu iesniegumam pieprasīti
// pierādījumi" over a request titled "Dzīvesvietas apliecinājums" (found
// on her phone in Latvian). One word, apliecinājums, everywhere.
func TestLatvianCallsEvidenceOneWay(t *testing.T) {
	word := regexp.MustCompile(`(?i)pierādījum\pL*`)
	for k, x := range latvianTexts(t) {
		if v, ok := x.(string); ok {
			if w := word.FindString(v); w != "" {
				t.Errorf("%s says %q: the app's word is apliecinājums", k, w)
			}
		}
	}
}

// duplicateKeys lists the keys of a JSON object that appear more than
// once at its top level.
func duplicateKeys(t *testing.T, data []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not a JSON object: %v", err)
	}
	seen, twice := map[string]bool{}, []string{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		key, _ := tok.(string)
		if seen[key] {
			twice = append(twice, key)
		}
		seen[key] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return twice
}

// TestDeskSpeaksOfTheApplicant: a company applies too (its
// representative signs in), yet the desk told the clerk to "Ask the
// citizen" and "Hand to the citizen's phone" after its heading had become
// "Applicant". No text of the desk says citizen, in either language.
func TestDeskSpeaksOfTheApplicant(t *testing.T) {
	for code, word := range map[string]string{"en": "citizen", "lv": "iedzīvotāj"} {
		data, err := assets.Translations.ReadFile(assets.TranslationsDir + "/" + code + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any // a plural's forms are an object
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		for key, v := range m {
			text := fmt.Sprint(v)
			if strings.HasPrefix(key, "desk.") && strings.Contains(strings.ToLower(text), word) {
				t.Errorf("%s.json %s says %q: %s", code, key, word, text)
			}
		}
	}
}
