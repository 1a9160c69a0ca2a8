package portal

import (
	"encoding/json"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"text/template"

	"github.com/vienreiz/vienreiz/assets"
)

// Languages are the portal's languages, the first the default.
var languages = [...]string{"lv", "en"}

// langCookie keeps the language a person chose with the switch.
const langCookie = "vienreiz_lang"

// texts are the portal's strings by language and key, from the app's
// translation files (keys portal.* and country.*); a plural text has the
// keys KEY.one and KEY.other.
type texts map[string]map[string]*template.Template

// loadTexts reads the translation files.
func loadTexts() texts {
	out := texts{}
	for _, code := range languages {
		out[code] = map[string]*template.Template{}
		var tr map[string]any
		if data, err := fs.ReadFile(assets.Translations, assets.TranslationsDir+"/"+code+".json"); err == nil {
			_ = json.Unmarshal(data, &tr)
		}
		add := func(key, s string) {
			if t, err := template.New(key).Option("missingkey=zero").Parse(s); err == nil {
				out[code][key] = t
			}
		}
		for k, v := range tr {
			if !strings.HasPrefix(k, "portal.") && !strings.HasPrefix(k, "country.") {
				continue
			}
			switch v := v.(type) {
			case string:
				add(k, v)
			case map[string]any:
				for form, s := range v {
					if s, ok := s.(string); ok {
						add(k+"."+form, s)
					}
				}
			}
		}
	}
	return out
}

// text is key in language code, English when the language lacks it, the
// key itself when both do. args are name, value pairs for the text's
// {{.Name}}s; a "Count" picks the plural form.
func (t texts) text(code, key string, args ...any) string {
	data := map[string]any{}
	for i := 0; i+1 < len(args); i += 2 {
		if name, ok := args[i].(string); ok {
			data[name] = args[i+1]
		}
	}
	if n, ok := data["Count"].(int); ok {
		form := "other"
		if n%10 == 1 && n%100 != 11 && (code != "en" || n == 1) {
			form = "one"
		}
		key += "." + form
	}
	for _, c := range []string{code, "en"} {
		if tmpl, ok := t[c][key]; ok {
			var b strings.Builder
			if tmpl.Execute(&b, data) == nil {
				return b.String()
			}
		}
	}
	return key
}

// countryName names the ISO country code country in language code; the
// code itself when it has no name there.
func (t texts) countryName(code, country string) string {
	if n := t.text(code, "country."+country); n != "country."+country {
		return n
	}
	return country
}

// language is the page's language: the one chosen with the switch (?lang=,
// kept in a cookie), else the browser's first supported one, else Latvian.
func language(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); supported(l) {
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil && supported(c.Value) {
		return c.Value
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		code, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if supported(code) {
			return code
		}
	}
	return languages[0]
}

func supported(code string) bool {
	for _, l := range languages {
		if code == l {
			return true
		}
	}
	return false
}

// langLink is one entry of the language switch.
type langLink struct {
	Code, Name, Href string
	Current          bool
}

// languageName names a language in itself.
func languageName(code string) string {
	if code == "lv" {
		return "Latviski"
	}
	return "English"
}

// switchLinks lead to the same page in each language (a form's answer
// page to the catalogue: it cannot be fetched again).
func switchLinks(r *http.Request, current string) []langLink {
	var out []langLink
	for _, code := range languages {
		href := "/portal/?lang=" + code
		if r.Method == http.MethodGet {
			q := r.URL.Query()
			q.Set("lang", code)
			href = (&url.URL{Path: r.URL.Path, RawQuery: q.Encode()}).String()
		}
		out = append(out, langLink{Code: code, Name: languageName(code), Href: href, Current: code == current})
	}
	return out
}
