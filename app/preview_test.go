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

// TestPreviewSaysItsSourceOnceWhenShared: a register's record, every field
// from the same source under the same legal basis, says so once; the
// demo's income statement said it under each of its fields, and on a
// phone the values were lost between the notes. A preview whose fields
// come from different sources still says each field's own.
func TestPreviewSaysItsSourceOnceWhenShared(t *testing.T) {
	test.NewTempApp(t)
	NewLanguage(&memPrefs{m: map[string]string{"language": "en"}})
	vid := api.PreviewField{Source: "State Revenue Service", LegalBasis: "SDGR Art. 14"}
	one := &api.Preview{Fields: []api.PreviewField{vid, vid, vid}}
	one.Fields[0].Name, one.Fields[1].Name, one.Fields[2].Name = "Identifier", "Family name", "Income"
	shared, perField := PreviewSources(one)
	if perField != nil || !strings.Contains(shared, "State Revenue Service") || !strings.Contains(shared, "SDGR Art. 14") {
		t.Fatalf("one source: shared %q, per field %q", shared, perField)
	}
	mixed := &api.Preview{Fields: []api.PreviewField{vid, {Source: "Population Register", LegalBasis: "SDGR Art. 14"}}}
	shared, perField = PreviewSources(mixed)
	if shared != "" || len(perField) != 2 || !strings.Contains(perField[1], "Population Register") || !strings.Contains(perField[0], "State Revenue Service") {
		t.Fatalf("two sources: shared %q, per field %q", shared, perField)
	}
	if shared, perField := PreviewSources(&api.Preview{}); shared != "" || perField != nil {
		t.Fatalf("no fields: %q, %q", shared, perField)
	}
}
