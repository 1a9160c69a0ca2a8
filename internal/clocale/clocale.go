// Package clocale keeps Fyne quiet under the C locale. Debian's default
// LANG=C.UTF-8 names no language, yet Fyne's lang package reads it as
// the language tag "C" when it starts and logs "Error parsing user
// locale C" on every run (and on -help). Under a C or POSIX locale with an
// encoding, this package sets LANGUAGE=en (when unset), which Fyne reads
// instead; the C library ignores LANGUAGE under the C locale, so nothing
// else changes.
//
// Import it for its side effect from package main. It works because Go
// initialises packages in import-path order as soon as their imports are
// ready: this package depends only on os, so it runs before
// golang.org/x/text, and therefore before fyne.io/fyne/v2/lang, which
// needs it.
package clocale

import (
	"os"
	"strings"
)

func init() {
	if NamesNoLanguage(os.Getenv) && os.Getenv("LANGUAGE") == "" {
		_ = os.Setenv("LANGUAGE", "en")
	}
}

// NamesNoLanguage reports whether the locale in effect (LC_ALL, else
// LC_MESSAGES, else LANG) is C or POSIX with an encoding, e.g.
// "C.UTF-8": a locale that names no language but that Fyne would try to
// read as one. Plain "C" and "POSIX" are understood as they are.
func NamesNoLanguage(getenv func(string) string) bool {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			base, _, hasEncoding := strings.Cut(v, ".")
			return hasEncoding && (base == "C" || base == "POSIX")
		}
	}
	return false
}
