package app

import (
	"sort"
	"strings"

	"fyne.io/fyne/v2/lang"

	"github.com/vienreiz/vienreiz/api"
)

// InLanguage picks from texts (keyed by language code, any case) the one
// in language code, else the English one, else any; note says when the
// text shown is not in the user's language (the giver does not offer
// it), "" when it is.
func InLanguage(texts map[string]string, code string) (text, note string) {
	find := func(want string) (string, bool) {
		for k, v := range texts {
			if strings.EqualFold(k, want) && v != "" {
				return v, true
			}
		}
		return "", false
	}
	if t, ok := find(code); ok {
		return t, ""
	}
	shown := "en"
	t, ok := find(shown)
	if !ok {
		keys := make([]string, 0, len(texts))
		for k := range texts {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if texts[k] != "" {
				t, shown = texts[k], strings.ToLower(k)
				break
			}
		}
	}
	if t == "" {
		return "", ""
	}
	return t, lang.L("text.other_language", map[string]any{
		"Language": lang.X("language."+shown, strings.ToUpper(shown)),
		"Wanted":   lang.L("language." + code),
	})
}

// QuestionText is a directory question in language code where the
// directory gives it, with the note InLanguage gives when it does not.
func QuestionText(q api.Question, code string) (text, note string) {
	if len(q.Descriptions) == 0 {
		return q.Description, ""
	}
	return InLanguage(q.Descriptions, code)
}
