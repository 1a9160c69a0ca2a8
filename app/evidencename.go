package app

import (
	"strings"

	"github.com/vienreiz/vienreiz/catalogue"
)

// EvidenceName names evidence in language code: the provider's name of
// its evidence type (titles, keyed by language code in upper case, as the
// directory gives them, or lower case, as the inbox does) in that
// language; else the name the service gives the evidence it needs (need,
// which the catalogue gives in every language of the app); else the
// provider's English name. "" when nothing names it.
//
// A provider names its evidence in its own languages and English, so a
// Latvian reading Estonian evidence gets the service's Latvian name
// rather than the English one.
func EvidenceName(titles map[string]string, need catalogue.Text, code string) string {
	if t := TitleIn(titles, code); t != "" {
		return t
	}
	if n := need.In(code); n != "" {
		return n
	}
	return TitleIn(titles, "en")
}

// ProviderName is the provider's own name of its evidence type in
// language code, else in English; "" when it gave none.
func ProviderName(titles map[string]string, code string) string {
	if t := TitleIn(titles, code); t != "" {
		return t
	}
	return TitleIn(titles, "en")
}

// TitleIn is titles' text in language code, keyed in either case; ""
// when the provider gave none in it.
func TitleIn(titles map[string]string, code string) string {
	if t := titles[strings.ToUpper(code)]; t != "" {
		return t
	}
	return titles[strings.ToLower(code)]
}

// NeedOf is the name service svc (nil: unknown) gives the evidence of
// requirement; nil when it names none.
func NeedOf(svc *catalogue.Service, requirement string) catalogue.Text {
	if svc == nil {
		return nil
	}
	if e, ok := svc.EvidenceOf(requirement); ok {
		return e.Name
	}
	return nil
}
