package catalogue

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// MaxQueryLength is the longest search text accepted, in characters.
const MaxQueryLength = 200

// ErrQueryTooLong is returned for a search text over MaxQueryLength.
var ErrQueryTooLong = fmt.Errorf("search text is longer than %d characters", MaxQueryLength)

// ErrInvalidFilter is returned for a category or country filter that is
// not a well-formed value.
var ErrInvalidFilter = errors.New("invalid filter")

// Query selects services: every word of Text must occur in the service's
// texts (in any language, ignoring case and diacritics), and Category and
// Country, when set, must match exactly.
type Query struct {
	Text     string
	Category string
	Country  string
}

// Validate checks the query's limits and filter shapes.
func (q Query) Validate() error {
	if utf8.RuneCountInString(q.Text) > MaxQueryLength {
		return ErrQueryTooLong
	}
	if !utf8.ValidString(q.Text) {
		return fmt.Errorf("%w: search text is not valid UTF-8", ErrInvalidFilter)
	}
	if q.Category != "" && !ValidID(q.Category) {
		return fmt.Errorf("%w: category %q", ErrInvalidFilter, q.Category)
	}
	if q.Country != "" && !countryPattern.MatchString(q.Country) {
		return fmt.Errorf("%w: country %q is not an ISO 3166 alpha-2 code", ErrInvalidFilter, q.Country)
	}
	return nil
}

// Words returns the folded search words of the query text.
func (q Query) Words() []string {
	return strings.Fields(Fold(q.Text))
}

// Fold lower-cases s and strips diacritics, so that "Uzņēmums" and
// "uznemums" compare equal, the way people type on a phone keyboard.
func Fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}

// SearchText is the folded text a service is found by: its names,
// description, provider, evidence and procedure in every language.
func (s *Service) SearchText() string {
	var b strings.Builder
	writeAll(&b, s.Name)
	writeAll(&b, s.Description)
	writeAll(&b, s.Provider.Name)
	for _, e := range s.Evidence {
		writeAll(&b, e.Name)
	}
	b.WriteString(s.Procedure)
	b.WriteByte(' ')
	b.WriteString(s.Country)
	return Fold(b.String())
}

// Relevance ranks a service the query matches: 0 when its name holds
// every word (in one of its languages or across them), 1 when its name
// and description do, 2 when its other texts are needed too (provider,
// evidence, procedure). Lower comes first; services of one rank keep the
// catalogue's order (as all do for a query without words).
func (q Query) Relevance(s *Service) int {
	words := q.Words()
	name := foldAll(s.Name)
	switch {
	case ContainsAll(name, words):
		return 0
	case ContainsAll(name+" "+foldAll(s.Description), words):
		return 1
	}
	return 2
}

// foldAll is t in every language, folded.
func foldAll(t Text) string {
	var b strings.Builder
	writeAll(&b, t)
	return Fold(b.String())
}

// writeAll writes t in every language to b, each followed by a space.
func writeAll(b *strings.Builder, t Text) {
	for _, l := range Languages {
		b.WriteString(t[l])
		b.WriteByte(' ')
	}
}

// ContainsAll reports whether every word occurs in text (both folded,
// Fold, for a search that ignores case and diacritics).
func ContainsAll(text string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

// Matches reports whether the service satisfies the query; the store uses
// the same rule in SQL, and tests hold the two together.
func (q Query) Matches(s *Service) bool {
	if q.Category != "" && s.Category != q.Category {
		return false
	}
	if q.Country != "" && s.Country != q.Country {
		return false
	}
	return ContainsAll(s.SearchText(), q.Words())
}
