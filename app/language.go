package app

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/vienreiz/vienreiz/assets"
)

// Languages the app is translated into, in the order the settings show them.
var Languages = []string{"lv", "en"}

// preferenceKey is where the chosen language is remembered.
const preferenceKey = "language"

// Language is the user's display language. All user-visible strings go
// through Fyne's lang package; Language chooses which translation it uses.
type Language struct {
	prefs     Preferences
	current   string
	listeners []func(code string)
}

// NewLanguage applies the language remembered in prefs, or else the one the
// system asks for when it is one of Languages, or else English.
func NewLanguage(prefs Preferences) *Language {
	l := &Language{prefs: prefs}
	code := prefs.String(preferenceKey)
	if !slices.Contains(Languages, code) {
		code = systemLanguage()
	}
	_ = l.apply(code) // code is one of Languages, so this cannot fail
	return l
}

// Code returns the current language, e.g. "lv".
func (l *Language) Code() string { return l.current }

// Set switches the language, remembers it and tells the listeners, which
// redraw their texts.
func (l *Language) Set(code string) error {
	if err := l.apply(code); err != nil {
		return err
	}
	l.prefs.SetString(preferenceKey, code)
	for _, f := range l.listeners {
		f(code)
	}
	return nil
}

// OnChange registers f to run after every switch.
func (l *Language) OnChange(f func(code string)) { l.listeners = append(l.listeners, f) }

// apply makes lang.L answer in code. Fyne's lang package follows the
// system locale and offers no switch of its own, so the chosen language's
// translations are loaded under the locale it resolves to; they replace
// the previous ones message by message, which works the same on every
// platform.
func (l *Language) apply(code string) error {
	if !slices.Contains(Languages, code) {
		return fmt.Errorf("language %q is not available (have %s)", code, strings.Join(Languages, ", "))
	}
	loaded.Lock()
	defer loaded.Unlock()
	if loaded.code != code {
		data, err := assets.Translations.ReadFile(assets.TranslationsDir + "/" + code + ".json")
		if err != nil {
			return fmt.Errorf("translations for %s: %w", code, err)
		}
		if err := lang.AddTranslationsForLocale(data, resolvedLocale()); err != nil {
			return fmt.Errorf("translations for %s: %w", code, err)
		}
		loaded.code = code
	}
	l.current = code
	return nil
}

// loaded is the language whose translations Fyne's lang package holds;
// like that package, it is one per process. A second Language for the
// same code (the first frame's, then the session's) loads nothing again.
var loaded struct {
	sync.Mutex
	code string
}

// systemLanguage is the system's language when the app has it, else "en".
func systemLanguage() string {
	// LanguageString keeps the region ("lv-LV" under LANG=lv_LV.UTF-8).
	sys, _, _ := strings.Cut(lang.SystemLocale().LanguageString(), "-")
	if slices.Contains(Languages, sys) {
		return sys
	}
	return "en"
}

// resolvedLocale is the locale Fyne's lang package resolves to: the
// system's language when translations for it exist, English otherwise.
func resolvedLocale() fyne.Locale {
	return fyne.Locale(systemLanguage())
}
