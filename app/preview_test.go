package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/vienreiz/vienreiz/api"
)

// TestPreviewSaysWhenTheUsersLanguageIsNotOffered (defect 3): a provider
// that gives its texts only in English and Estonian leaves a Latvian user
// reading English; the page says so.
func TestPreviewSaysWhenTheUsersLanguageIsNotOffered(t *testing.T) {
	test.NewTempApp(t)
	NewLanguage(&memPrefs{m: map[string]string{"language": "lv"}})
	note := PreviewLanguageNote(&api.Preview{Language: "en", Languages: []string{"en"}}, "lv")
	if !strings.Contains(note, "English") || !strings.Contains(note, "Latviešu") {
		t.Fatalf("note = %q", note)
	}
	if n := PreviewLanguageNote(&api.Preview{Language: "lv", Languages: []string{"en", "lv"}}, "lv"); n != "" {
		t.Fatalf("a note although the texts are in Latvian: %q", n)
	}
}
