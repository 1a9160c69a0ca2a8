package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// TestInLanguagePicksTheUsersAndSaysWhenItCannot: a giver's text in the
// user's language where given, else English with a note naming both.
func TestInLanguagePicksTheUsersAndSaysWhenItCannot(t *testing.T) {
	test.NewTempApp(t)
	NewLanguage(&memPrefs{m: map[string]string{"language": "lv"}})
	texts := map[string]string{"EN": "Land of the place of residence", "DE": "Land des Wohnorts"}
	if got, note := InLanguage(texts, "de"); got != "Land des Wohnorts" || note != "" {
		t.Fatalf("in German: %q, note %q", got, note)
	}
	got, note := InLanguage(texts, "lv")
	if got != "Land of the place of residence" || note == "" || !strings.Contains(note, "English") {
		t.Fatalf("in Latvian (not given): %q, note %q; want the English text and a note", got, note)
	}
	if got, _ := InLanguage(map[string]string{"DE": "nur Deutsch"}, "lv"); got != "nur Deutsch" {
		t.Fatalf("only German given: %q", got)
	}
	if got, note := InLanguage(nil, "lv"); got != "" || note != "" {
		t.Fatalf("nothing given: %q, %q", got, note)
	}
}
