package app

import (
	"fyne.io/fyne/v2/lang"

	"github.com/vienreiz/vienreiz/api"
)

// PreviewLanguageNote says, in the user's language (code), that the
// provider gives the preview's texts in another language because it does
// not offer the user's; "" when the texts are in the user's language (or
// the provider did not say).
func PreviewLanguageNote(p *api.Preview, code string) string {
	if p == nil || p.Language == "" || p.Language == code {
		return ""
	}
	return lang.L("request.preview_language", map[string]any{
		"Language": lang.X("language."+p.Language, p.Language),
		"Wanted":   lang.L("language." + code),
	})
}

// PreviewSources says where the previewed fields come from: once for the
// whole preview (shared) when every field names the same source and legal
// basis — the usual case, a register's record — else under each field
// (perField, in the fields' order). Said under each of twenty fields, the
// same line buried the values on a phone.
func PreviewSources(p *api.Preview) (shared string, perField []string) {
	if p == nil || len(p.Fields) == 0 {
		return "", nil
	}
	say := func(f api.PreviewField) string {
		return lang.L("request.preview_source", map[string]any{"Source": f.Source, "LegalBasis": f.LegalBasis})
	}
	first := p.Fields[0]
	same := true
	for _, f := range p.Fields[1:] {
		same = same && f.Source == first.Source && f.LegalBasis == first.LegalBasis
	}
	if same {
		return say(first), nil
	}
	perField = make([]string, len(p.Fields))
	for i, f := range p.Fields {
		perField[i] = say(f)
	}
	return "", perField
}
