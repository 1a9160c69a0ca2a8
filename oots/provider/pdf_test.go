package provider

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

// TestPDFKeepsLatvianLetters (issue 15 defect 6): the demo PDF's text, as
// a PDF reader extracts it (poppler's pdftotext, installed by CI), has the
// Latvian letters the preview showed — before, the standard Helvetica font
// turned "Bērziņš / Jānis" into "Berzins / Janis" — and values that look
// like PDF syntax come out as text.
func TestPDFKeepsLatvianLetters(t *testing.T) {
	pdf, err := pdfDocument("Dzimšanas apliecība (x)", speech{}, []Field{
		{Name: "Family name", Value: "Bērziņš", Source: "Ūdens pārvalde"},
		{Name: "Given name", Value: "Jānis"},
		{Name: "Note", Value: `a\b) Tj (evil`},
		{Name: "Place", Value: "Klaipėda, Pärnu, Škoda, Łódź"},
	})
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	for _, want := range []string{"Dzimšanas apliecība (x)", "Family name: Bērziņš", "Given name: Jānis",
		`Note: a\b) Tj (evil`, "Klaipėda, Pärnu, Škoda, Łódź", "Source: Ūdens pārvalde"} {
		if !strings.Contains(text, want) {
			t.Errorf("extracted text lacks %q:\n%s", want, text)
		}
	}
	again, err := pdfDocument("Dzimšanas apliecība (x)", speech{}, []Field{{Name: "Family name", Value: "Bērziņš"}})
	if err != nil {
		t.Fatal(err)
	}
	same, _ := pdfDocument("Dzimšanas apliecība (x)", speech{}, []Field{{Name: "Family name", Value: "Bērziņš"}})
	if !bytes.Equal(again, same) {
		t.Error("the same contents gave two different PDFs")
	}
}

// pdfText returns the text pdftotext extracts from pdf.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext (Debian poppler-utils) is needed: make deps-test installs it")
	}
	cmd := exec.Command("pdftotext", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("pdftotext: %v %s", err, stderr.String())
	}
	return string(out)
}

// TestDemoRecordsNameTheRegistrysCity (issue 15 defect 6): a register's
// demo record places the person in the register's own city — the Berlin
// registration office's record named München before.
func TestDemoRecordsNameTheRegistrysCity(t *testing.T) {
	c := demoCatalog(t)
	cities := map[string]map[string]bool{} // country → the cities its registers are in
	for _, o := range c.offers {
		for _, s := range o.Services {
			if city := s.Provider.Address.PostCityName; city != "" {
				if cities[o.Country] == nil {
					cities[o.Country] = map[string]bool{}
				}
				cities[o.Country][city] = true
			}
		}
	}
	checked := 0
	for _, o := range c.offers {
		kind := kindOf(o.Type.Titles.Get("EN"))
		if kind == kindCompany {
			continue
		}
		for _, s := range o.Services {
			own := s.Provider.Address.PostCityName
			if own == "" {
				continue
			}
			_, _, req := demoRequest(t, c, o.Country, o.Type.Titles.Get("EN"), "DE/DE/123456789", "application/xml")
			d, err := generate(o, s, req, "en", issuedOn)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range d.Fields {
				for city := range cities[o.Country] {
					if city != own && strings.Contains(f.Value, city) {
						t.Errorf("%s's %q record (%s): %s = %q names %s", s.Provider.Names.Get("EN"), o.Type.Titles.Get("EN"), own, f.Name, f.Value, city)
					}
				}
			}
			checked++
		}
	}
	if checked < 10 {
		t.Fatalf("only %d records checked", checked)
	}
}
