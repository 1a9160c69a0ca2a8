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
		doc, err := ReadStructured(data)
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
	doc, err := ReadStructured([]byte(other))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range doc.Fields {
		got = append(got, f.Label+"="+f.Value)
	}
	if s := strings.Join(got, "|"); s != "Family name=Tamm|Post code=10111|City=Tallinn" {
		t.Errorf("another XML's fields: %s", s)
	}
	for _, bad := range []string{"", "not xml", "<a><b>x</a>", "<a/>", strings.Repeat("<a>", 100) + "x" + strings.Repeat("</a>", 100)} {
		if _, err := ReadStructured([]byte(bad)); err == nil {
			t.Errorf("%.30q read without an error", bad)
		}
	}
	if !IsStructured("application/xml") || !IsStructured("text/xml; charset=utf-8") || !IsStructured("application/vnd.x+xml") || IsStructured("application/pdf") {
		t.Error("IsStructured misjudges a content type")
	}
}

// FuzzReadStructured: any bytes give fields or an error, never a panic,
// and never more fields than the bound.
func FuzzReadStructured(f *testing.F) {
	f.Add([]byte(`<Evidence><Title>T</Title><Field name="Family name">B</Field></Evidence>`))
	f.Add([]byte(`<a><b>x</b><c d="e"/></a>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ReadStructured(data)
		if err == nil && (len(doc.Fields) == 0 || len(doc.Fields) > maxStructuredFields) {
			t.Fatalf("%d fields without an error", len(doc.Fields))
		}
	})
}
