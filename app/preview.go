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
