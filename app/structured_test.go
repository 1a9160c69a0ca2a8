package app

import (
	"os"
	"strings"
	"testing"
)

// TestReadStructuredEvidenceInTheUsersLanguage (issue 15 defect 6): a
// delivered XML document is read as fields with labels in the user's
// language — the demo register's birth extract in Latvian and English —
// and another XML's elements become fields named after them.
func TestReadStructuredEvidenceInTheUsersLanguage(t *testing.T) {
	data, err := os.ReadFile("../oots/provider/testdata/lv-birth.xml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ code, want string }{
		{"lv", "Uzvārds: Bērziņa|Vārds: Anna|Dzimšanas datums: 1990-04-12|Dzimšanas vieta: Rīga, LV"},
		{"en", "Family name: Bērziņa|Given name: Anna|Date of birth: 1990-04-12|Place of birth: Rīga, LV"},
	} {
		NewLanguage(mapPrefs{"language": tc.code})
		doc, err := ReadStructured(data, tc.code)
		if err != nil {
			t.Fatal(err)
		}
		if doc.Title != "Extract from the register of births" {
			t.Errorf("%s: title %q", tc.code, doc.Title)
		}
		var got []string
		for _, f := range doc.Fields {
			got = append(got, f.Label+": "+f.Value)
		}
		if s := strings.Join(got, "|"); !strings.Contains(s, tc.want) {
			t.Errorf("%s: fields %s, want %s among them", tc.code, s, tc.want)
		}
	}

	NewLanguage(mapPrefs{"language": "en"})
	other := `<?xml version="1.0"?><Certificate><FamilyName>Tamm</FamilyName><address><post_code>10111</post_code><City> Tallinn </City></address><Photo ref="x"/></Certificate>`
	doc, err := ReadStructured([]byte(other), "en")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range doc.Fields {
		got = append(got, f.Label+"="+f.Value)
	}
	if s := strings.Join(got, "|"); s != "Family name=Tamm|Address › Post code=10111|Address › City=Tallinn|Photo › Ref=x" {
		t.Errorf("another XML's fields: %s", s)
	}
	for _, bad := range []string{"", "not xml", "<a><b>x</a>", "<a/>", strings.Repeat("<a>", 100) + "x" + strings.Repeat("</a>", 100)} {
		if _, err := ReadStructured([]byte(bad), "en"); err == nil {
			t.Errorf("%.30q read without an error", bad)
		}
	}
	if !IsStructured("application/xml") || !IsStructured("text/xml; charset=utf-8") || !IsStructured("application/vnd.x+xml") || IsStructured("application/pdf") {
		t.Error("IsStructured misjudges a content type")
	}
}

// sdgBirth is a birth certificate as another member state might deliver
// it: its own namespaces, identifiers with their scheme as an attribute,
// two parents, the issuer's name in three languages, a nested place.
const sdgBirth = `<?xml version="1.0" encoding="UTF-8"?>
<bc:BirthCertificate xmlns:bc="urn:example:birth:1" xmlns:cv="urn:example:core:2"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:example:birth:1 birth.xsd" bc:id="BC-2024-77">
  <bc:Title xml:lang="et">Sünnitunnistus</bc:Title>
  <bc:Title xml:lang="en">Birth certificate</bc:Title>
  <bc:IssuingAuthority>
    <cv:Identifier schemeID="EE:RIK">70000562</cv:Identifier>
    <cv:PrefLabel xml:lang="et">Rahvastikuregister</cv:PrefLabel>
    <cv:PrefLabel xml:lang="en">Population Register</cv:PrefLabel>
    <cv:PrefLabel xml:lang="lv">Iedzīvotāju reģistrs</cv:PrefLabel>
  </bc:IssuingAuthority>
  <bc:Child>
    <cv:FamilyName>Tamm</cv:FamilyName>
    <cv:GivenName>Mari</cv:GivenName>
    <cv:DateOfBirth>2001-02-03</cv:DateOfBirth>
    <cv:PlaceOfBirth><cv:Address><cv:PostName>Tartu</cv:PostName><cv:Country><cv:Code>EE</cv:Code></cv:Country></cv:Address></cv:PlaceOfBirth>
  </bc:Child>
  <bc:Parent><cv:FamilyName>Tamm</cv:FamilyName><cv:GivenName>Jaan</cv:GivenName></bc:Parent>
  <bc:Parent><cv:FamilyName>Kask</cv:FamilyName><cv:GivenName>Liis</cv:GivenName></bc:Parent>
  <bc:Remark/>
</bc:BirthCertificate>`

// TestReadStructuredReadsAnyEvidenceXML (issue 15): the XML view knew the
// demo registers' format only; another member state's document lost its
// attributes, showed every language of a text, and gave both parents'
// names as plain "Family name" rows nobody could tell apart. Now any
// well-formed XML is read: fields labelled by their path, attributes as
// fields of their element, repeated elements numbered, one language of a
// multilingual text (the user's, else English), known names translated,
// and a document in another character encoding read.
func TestReadStructuredReadsAnyEvidenceXML(t *testing.T) {
	read := func(code, doc string) string {
		t.Helper()
		NewLanguage(mapPrefs{"language": code})
		d, err := ReadStructured([]byte(doc), code)
		if err != nil {
			t.Fatalf("%s: %v", code, err)
		}
		var got []string
		for _, f := range d.Fields {
			got = append(got, f.Label+" = "+f.Value)
		}
		return d.Title + "\n" + strings.Join(got, "\n")
	}
	for _, tc := range []struct{ code, want string }{
		{"en", `Birth certificate
Id = BC-2024-77
Issuing authority › Identifier = 70000562
Issuing authority › Identifier › Identifier scheme = EE:RIK
Issuing authority › Name = Population Register
Child › Family name = Tamm
Child › Given name = Mari
Child › Date of birth = 2001-02-03
Child › Place of birth › Address › Post name = Tartu
Child › … › Country › Code = EE
Parent 1 › Family name = Tamm
Parent 1 › Given name = Jaan
Parent 2 › Family name = Kask
Parent 2 › Given name = Liis`},
		{"lv", `Birth certificate
Id = BC-2024-77
Izdevējiestāde › Identifikators = 70000562
Izdevējiestāde › Identifikators › Identifikatora shēma = EE:RIK
Izdevējiestāde › Nosaukums = Iedzīvotāju reģistrs
Bērns › Uzvārds = Tamm
Bērns › Vārds = Mari
Bērns › Dzimšanas datums = 2001-02-03
Bērns › Dzimšanas vieta › Adrese › Post name = Tartu
Bērns › … › Valsts › Code = EE
Vecāks 1 › Uzvārds = Tamm
Vecāks 1 › Vārds = Jaan
Vecāks 2 › Uzvārds = Kask
Vecāks 2 › Vārds = Liis`},
	} {
		if got := read(tc.code, sdgBirth); got != tc.want {
			t.Errorf("%s:\n%s\nwant\n%s", tc.code, got, tc.want)
		}
	}

	// Key–value records, repeated keys, and a Latin-1 document.
	kv := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><Record><Entry key=\"Nom\">Gr\xe9goire</Entry>" +
		"<Entry key=\"Pr\xe9nom\">Anne</Entry><Entry key=\"Pr\xe9nom\">Marie</Entry><Item name=\"Family name\">Durand</Item></Record>"
	if got, want := read("lv", kv), "\nNom = Grégoire\nPrénom 1 = Anne\nPrénom 2 = Marie\nUzvārds = Durand"; got != want {
		t.Errorf("key–value record:\n%s\nwant\n%s", got, want)
	}
	// A lone element is a field too.
	if got, want := read("en", "<FamilyName>Ozoliņa</FamilyName>"), "\nFamily name = Ozoliņa"; got != want {
		t.Errorf("a lone element: %q, want %q", got, want)
	}

	// The bounds: more fields than shown are cut and said; too many
	// elements, too large or too deep documents are errors.
	many := "<r>" + strings.Repeat("<v>1</v>", maxStructuredFields+5) + "</r>"
	if d, err := ReadStructured([]byte(many), "en"); err != nil || len(d.Fields) != maxStructuredFields || !d.More || d.Fields[maxStructuredFields-1].Label != "V 500" {
		t.Errorf("a long document: %v, %+v", err, d)
	}
	for what, doc := range map[string]string{
		"too many elements": "<r>" + strings.Repeat("<v/>", maxStructuredNodes) + "</r>",
		"too large":         "<r>" + strings.Repeat("x", maxStructuredBytes) + "</r>",
		"too deep":          strings.Repeat("<a>", maxStructuredDepth+1) + "x" + strings.Repeat("</a>", maxStructuredDepth+1),
		"unknown encoding":  `<?xml version="1.0" encoding="x-unknown"?><r><v>1</v></r>`,
		"two roots":         `<r><v>1</v></r><r/>`,
	} {
		if _, err := ReadStructured([]byte(doc), "en"); err == nil {
			t.Errorf("%s: read without an error", what)
		}
	}
}

// FuzzReadStructured: any bytes give fields or an error, never a panic,
// and never more fields than the bound; every field has a label and a
// value.
func FuzzReadStructured(f *testing.F) {
	f.Add([]byte(`<Evidence><Title>T</Title><Field name="Family name">B</Field></Evidence>`))
	f.Add([]byte(`<a><b>x</b><c d="e"/></a>`))
	f.Add([]byte(sdgBirth))
	f.Add([]byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r><n>\xe9</n></r>"))
	f.Add([]byte(`<r xmlns:x="u" x:a="1" xml:lang="lv"><x:e xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/><t xml:lang="en">a</t><t xml:lang="lv">b</t><Entry key="k">v</Entry><Entry key="k">w</Entry></r>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ReadStructured(data, "lv")
		if err != nil {
			return
		}
		if len(doc.Fields) == 0 || len(doc.Fields) > maxStructuredFields || doc.More && len(doc.Fields) != maxStructuredFields {
			t.Fatalf("%d fields (more: %v) without an error", len(doc.Fields), doc.More)
		}
		for _, f := range doc.Fields {
			if f.Label == "" || f.Value == "" || strings.Count(f.Label, labelSeparator) >= maxLabelParts || f.Value != strings.TrimSpace(f.Value) {
				t.Fatalf("field %q = %q", f.Label, f.Value)
			}
		}
	})
}
