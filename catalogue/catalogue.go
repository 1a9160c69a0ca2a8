// Package catalogue holds the service catalogue model (principles P1 and P3):
// public services, the evidence each needs, and how a search over them is
// expressed. It is shared by the store, the exchange service's REST API and
// the Go client, so the wire format is defined once. It is no part of the
// OOTS exchange (it sits outside oots/), so the app and its UI can use it.
package catalogue

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Languages are the languages every user-visible catalogue text is given in.
var Languages = []string{"lv", "en"}

// Text is a user-visible text in several languages, keyed by ISO 639-1 code.
type Text map[string]string

// In returns the text in lang, falling back to English and then to any
// language present, so a missing translation never shows an empty label.
func (t Text) In(lang string) string {
	if s := t[lang]; s != "" {
		return s
	}
	if s := t["en"]; s != "" {
		return s
	}
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if t[k] != "" {
			return t[k]
		}
	}
	return ""
}

// Category groups services for browsing, e.g. "business" or "education".
type Category struct {
	ID   string `json:"id"`
	Name Text   `json:"name"`
}

// Provider is the public body that delivers a service.
type Provider struct {
	ID   string `json:"id"`
	Name Text   `json:"name"`
}

// Evidence is one piece of evidence a service needs, named by its OOTS
// requirement; the Evidence Broker maps the requirement to evidence types.
type Evidence struct {
	Requirement string `json:"requirement"`
	Name        Text   `json:"name"`
	// About is whom the evidence is about: "" for the person applying (or
	// the person they act for), AboutCompany for a company, asked for by
	// someone acting for it under a mandate. The same requirement may be
	// about a person in one service and about a company in another (an
	// employer's social security contributions).
	About string `json:"about,omitempty"`
}

// AboutCompany is Evidence.About for evidence about a company.
const AboutCompany = "company"

// ForCompany reports whether the evidence is about a company.
func (e Evidence) ForCompany() bool { return e.About == AboutCompany }

// EvidenceOf is the first of the service's evidence that meets
// requirement; false when none does.
func (s *Service) EvidenceOf(requirement string) (Evidence, bool) {
	i := slices.IndexFunc(s.Evidence, func(e Evidence) bool { return e.Requirement == requirement })
	if i < 0 {
		return Evidence{}, false
	}
	return s.Evidence[i], true
}

// Service is one public service of the catalogue.
type Service struct {
	ID             string     `json:"id"`
	Country        string     `json:"country"`
	Category       string     `json:"category"`
	Procedure      string     `json:"procedure"`
	Name           Text       `json:"name"`
	Description    Text       `json:"description"`
	Provider       Provider   `json:"provider"`
	Evidence       []Evidence `json:"evidence"`
	ProcessingDays int        `json:"processing_days"`
	LegalBasis     Text       `json:"legal_basis"`
	Online         string     `json:"online,omitempty"`
}

// Catalogue is a versioned set of categories and services, as shipped in
// assets/ and loaded into the store.
type Catalogue struct {
	Version    int        `json:"version"`
	Categories []Category `json:"categories"`
	Services   []Service  `json:"services"`
}

// Facets lists the values a search can be filtered by.
type Facets struct {
	Categories []Category `json:"categories"`
	Countries  []string   `json:"countries"`
}

var (
	idPattern      = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)
	countryPattern = regexp.MustCompile(`^[A-Z]{2}$`)
	procPattern    = regexp.MustCompile(`^[A-Z][0-9]{1,2}$`)
)

// ValidID reports whether id has the shape of a catalogue identifier.
func ValidID(id string) bool { return idPattern.MatchString(id) }

// Parse decodes and validates a catalogue document.
func Parse(data []byte) (*Catalogue, error) {
	var c Catalogue
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("catalogue: %w", err)
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// Validate checks that every service is complete and refers to a known
// category, and that identifiers are unique.
func (c *Catalogue) Validate() error {
	if c.Version < 1 {
		return errors.New("catalogue: version must be at least 1")
	}
	cats := map[string]bool{}
	for i, cat := range c.Categories {
		if !ValidID(cat.ID) {
			return fmt.Errorf("catalogue: categories[%d]: invalid id %q", i, cat.ID)
		}
		if err := complete(cat.Name); err != nil {
			return fmt.Errorf("catalogue: category %s: name: %w", cat.ID, err)
		}
		cats[cat.ID] = true
	}
	seen := map[string]bool{}
	for i, s := range c.Services {
		if err := s.validate(cats); err != nil {
			return fmt.Errorf("catalogue: services[%d] (%s): %w", i, s.ID, err)
		}
		if seen[s.ID] {
			return fmt.Errorf("catalogue: services[%d]: duplicate id %q", i, s.ID)
		}
		seen[s.ID] = true
	}
	return nil
}

func (s *Service) validate(categories map[string]bool) error {
	switch {
	case !ValidID(s.ID):
		return fmt.Errorf("invalid id %q", s.ID)
	case !countryPattern.MatchString(s.Country):
		return fmt.Errorf("country %q is not an ISO 3166 alpha-2 code", s.Country)
	case !categories[s.Category]:
		return fmt.Errorf("unknown category %q", s.Category)
	case !procPattern.MatchString(s.Procedure):
		return fmt.Errorf("procedure %q is not an OOTS procedure code", s.Procedure)
	case s.ProcessingDays < 1:
		return errors.New("processing_days must be at least 1")
	case len(s.Evidence) == 0:
		return errors.New("no evidence listed")
	}
	for name, t := range map[string]Text{"name": s.Name, "description": s.Description, "provider.name": s.Provider.Name, "legal_basis": s.LegalBasis} {
		if err := complete(t); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	for j, e := range s.Evidence {
		if !strings.HasPrefix(e.Requirement, "https://") {
			return fmt.Errorf("evidence[%d]: requirement %q is not an https URI", j, e.Requirement)
		}
		if err := complete(e.Name); err != nil {
			return fmt.Errorf("evidence[%d].name: %w", j, err)
		}
		if e.About != "" && e.About != AboutCompany {
			return fmt.Errorf("evidence[%d].about: %q is neither empty (a person) nor %q", j, e.About, AboutCompany)
		}
	}
	return nil
}

func complete(t Text) error {
	for _, l := range Languages {
		if strings.TrimSpace(t[l]) == "" {
			return fmt.Errorf("missing %q text", l)
		}
	}
	return nil
}

// CountryOfEID is the catalogue's code of the country whose eID gave the
// eIDAS identifier id ("XX/YY/unique": XX), "" for none. eIDAS names
// Greece EL; the catalogue, as ISO 3166, GR.
func CountryOfEID(id string) string {
	origin, _, ok := strings.Cut(id, "/")
	if !ok || len(origin) != 2 {
		return ""
	}
	if origin == "EL" {
		return "GR"
	}
	return origin
}
