package commonsvc

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/google/uuid"
)

// PartyIDTypeUnregistered is the ebCore party id type of the demo access
// services.
const PartyIDTypeUnregistered = "urn:oasis:names:tc:ebcore:partyid-type:unregistered"

// Directory is the content of an embedded Evidence Broker and Data Service
// Directory: requirements with their procedures, evidence types per
// country, and the providers that issue them. It is read-only after
// loading and safe for concurrent use. The values its query methods return
// share the directory's data: callers must not modify them.
type Directory struct {
	countries    map[string]bool
	procedures   map[string]string // code → English title
	requirements []*dirRequirement
	byReq        map[string]*dirRequirement
	types        []*dirEvidenceType
	byClass      map[string]*dirEvidenceType
	providers    map[string]*dirProvider
	byURN        map[string]*dirProvider // access service party id URN → provider
}

type dirRequirement struct {
	id         string
	names      Texts
	procedures []string
	types      []*dirEvidenceType
}

type dirEvidenceType struct {
	slug           string
	id             string
	country        string
	classification string
	titles         Texts
	descriptions   Texts
	distributions  []Distribution
	providers      []*dirProvider
	loa            string
	jurisdiction   *JurisdictionDetermination
	concepts       []ClassificationConcept
	conceptSlugs   []string
}

type dirProvider struct {
	slug    string
	country string
	service DataService
	values  map[string][]string // classification slug → supported values
}

// file is the JSON form of a directory (see demodir/demodata.json).
type file struct {
	ClassificationBase string            `json:"classificationBase"`
	Countries          []string          `json:"countries"`
	Procedures         map[string]string `json:"procedures"`
	Requirements       []struct {
		ID         string            `json:"id"`
		Name       map[string]string `json:"name"`
		Procedures []string          `json:"procedures"`
	} `json:"requirements"`
	Providers []struct {
		Slug            string              `json:"slug"`
		Country         string              `json:"country"`
		EDM             string              `json:"edm"`
		Preview         bool                `json:"preview"`
		AdminLevel2     string              `json:"adminLevel2"`
		Name            map[string]string   `json:"name"`
		Street          string              `json:"street"`
		Number          string              `json:"number"`
		PostCode        string              `json:"postCode"`
		City            string              `json:"city"`
		Classifications map[string][]string `json:"classifications"`
	} `json:"providers"`
	EvidenceTypes []struct {
		Slug         string            `json:"slug"`
		Country      string            `json:"country"`
		Requirements []string          `json:"requirements"`
		Title        map[string]string `json:"title"`
		Description  map[string]string `json:"description"`
		Formats      []struct {
			Format     string `json:"format"`
			ConformsTo string `json:"conformsTo"`
		} `json:"formats"`
		Providers    []string `json:"providers"`
		LoA          string   `json:"loa"`
		Jurisdiction *struct {
			Level   string            `json:"level"`
			Context map[string]string `json:"context"`
		} `json:"jurisdiction"`
		Classifications []struct {
			Slug            string            `json:"slug"`
			Type            string            `json:"type"`
			ValueExpression string            `json:"valueExpression"`
			Description     map[string]string `json:"description"`
			Values          []string          `json:"values"`
		} `json:"classifications"`
	} `json:"evidenceTypes"`
}

var countryCode = regexp.MustCompile(`^[A-Z]{2}$`)

// LoadDirectory reads a directory from its JSON form and checks that every
// reference in it resolves.
func LoadDirectory(data []byte) (*Directory, error) {
	var f file
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("directory json: %w", err)
	}
	d := &Directory{
		countries:  map[string]bool{},
		procedures: f.Procedures,
		byReq:      map[string]*dirRequirement{},
		byClass:    map[string]*dirEvidenceType{},
		providers:  map[string]*dirProvider{},
		byURN:      map[string]*dirProvider{},
	}
	if f.ClassificationBase == "" {
		return nil, errors.New("directory json: classificationBase is empty")
	}
	for _, c := range f.Countries {
		if !countryCode.MatchString(c) {
			return nil, fmt.Errorf("directory json: countries: %q is not an ISO 3166 alpha-2 code", c)
		}
		d.countries[c] = true
	}
	for _, r := range f.Requirements {
		if r.ID == "" || d.byReq[r.ID] != nil {
			return nil, fmt.Errorf("directory json: requirement id %q is empty or repeated", r.ID)
		}
		for _, p := range r.Procedures {
			if _, ok := d.procedures[p]; !ok {
				return nil, fmt.Errorf("directory json: requirement %s: procedure %q not in procedures", r.ID, p)
			}
		}
		dr := &dirRequirement{id: r.ID, names: textsOf(r.Name), procedures: r.Procedures}
		d.requirements = append(d.requirements, dr)
		d.byReq[r.ID] = dr
	}
	for _, p := range f.Providers {
		if p.Slug == "" || d.providers[p.Slug] != nil {
			return nil, fmt.Errorf("directory json: provider slug %q is empty or repeated", p.Slug)
		}
		if !d.countries[p.Country] {
			return nil, fmt.Errorf("directory json: provider %s: country %q not in countries", p.Slug, p.Country)
		}
		if p.EDM == "" {
			return nil, fmt.Errorf("directory json: provider %s: edm version is empty", p.Slug)
		}
		pid := PartyID{Type: PartyIDTypeUnregistered, Value: "demo-" + p.Slug}
		preview := PreviewNotSupported
		if p.Preview {
			preview = PreviewSupported
		}
		full := strings.TrimSpace(strings.Join(nonEmpty(strings.TrimSpace(p.Street+" "+p.Number), strings.TrimSpace(p.PostCode+" "+p.City)), ", "))
		dp := &dirProvider{
			slug:    p.Slug,
			country: p.Country,
			values:  p.Classifications,
			service: DataService{
				PartyID:    pid,
				EDMVersion: p.EDM,
				Preview:    preview,
				Provider: EvidenceProvider{
					ID:    pid,
					Names: textsOf(p.Name),
					Address: Address{
						FullAddress: full, LocatorDesignator: p.Number, PostCode: p.PostCode,
						PostCityName: p.City, Thoroughfare: p.Street, Country: p.Country, AdminLevel2: p.AdminLevel2,
					},
					Jurisdiction: Jurisdiction{Country: p.Country, AdminLevel2: p.AdminLevel2},
				},
			},
		}
		d.providers[p.Slug] = dp
		d.byURN[pid.URN()] = dp
	}
	for _, t := range f.EvidenceTypes {
		if !d.countries[t.Country] {
			return nil, fmt.Errorf("directory json: evidence type %s: country %q not in countries", t.Slug, t.Country)
		}
		dt := &dirEvidenceType{
			slug:           t.Slug,
			id:             demoUUID("evidence-type", t.Slug),
			country:        t.Country,
			classification: f.ClassificationBase + t.Country + "/" + demoUUID("classification", t.Slug),
			titles:         textsOf(t.Title),
			descriptions:   textsOf(t.Description),
			loa:            t.LoA,
		}
		if d.byClass[dt.classification] != nil || len(dt.titles) == 0 {
			return nil, fmt.Errorf("directory json: evidence type %q is repeated or has no title", t.Slug)
		}
		for _, fm := range t.Formats {
			dt.distributions = append(dt.distributions, Distribution{Format: fm.Format, ConformsTo: fm.ConformsTo})
		}
		if len(dt.distributions) == 0 {
			return nil, fmt.Errorf("directory json: evidence type %s has no formats", t.Slug)
		}
		if j := t.Jurisdiction; j != nil {
			switch j.Level {
			case JurisdictionNUTS1, JurisdictionNUTS2, JurisdictionNUTS3, JurisdictionLAU:
			default:
				return nil, fmt.Errorf("directory json: evidence type %s: jurisdiction level %q is not NUTS1..3 or LAU", t.Slug, j.Level)
			}
			dt.jurisdiction = &JurisdictionDetermination{ContextID: demoUUID("jurisdiction-context", t.Slug), Contexts: textsOf(j.Context), Level: j.Level}
		}
		for _, c := range t.Classifications {
			if len(c.Values) == 0 {
				return nil, fmt.Errorf("directory json: evidence type %s: classification %s has no values", t.Slug, c.Slug)
			}
			dt.concepts = append(dt.concepts, ClassificationConcept{
				ID: demoUUID("provider-classification", t.Slug, c.Slug), Type: c.Type, ValueExpression: c.ValueExpression,
				Descriptions: textsOf(c.Description), SupportedValues: c.Values,
			})
			dt.conceptSlugs = append(dt.conceptSlugs, c.Slug)
		}
		for _, ps := range t.Providers {
			p := d.providers[ps]
			if p == nil || p.country != t.Country {
				return nil, fmt.Errorf("directory json: evidence type %s: provider %q unknown or in another country", t.Slug, ps)
			}
			if dt.jurisdiction != nil && p.service.Provider.Jurisdiction.AdminLevel2 == "" && dt.jurisdiction.Level != JurisdictionLAU {
				return nil, fmt.Errorf("directory json: evidence type %s needs a region but provider %s has no adminLevel2", t.Slug, ps)
			}
			for _, cs := range dt.conceptSlugs {
				if len(p.values[cs]) == 0 {
					return nil, fmt.Errorf("directory json: evidence type %s: provider %s gives no value for classification %s", t.Slug, ps, cs)
				}
			}
			dt.providers = append(dt.providers, p)
		}
		if len(dt.providers) == 0 {
			return nil, fmt.Errorf("directory json: evidence type %s has no providers", t.Slug)
		}
		for _, rid := range t.Requirements {
			r := d.byReq[requirementID(d, rid)]
			if r == nil {
				return nil, fmt.Errorf("directory json: evidence type %s: requirement %q unknown", t.Slug, rid)
			}
			r.types = append(r.types, dt)
		}
		d.types = append(d.types, dt)
		d.byClass[dt.classification] = dt
	}
	return d, nil
}

// requirementID resolves a requirement reference: a full id, its last path
// segment, or the slug its demo UUID is derived from
// (docs/demo-requirements.md).
func requirementID(d *Directory, ref string) string {
	if d.byReq[ref] != nil {
		return ref
	}
	derived := "/" + demoUUID("requirement", ref)
	for _, r := range d.requirements {
		if strings.HasSuffix(r.id, "/"+ref) || strings.HasSuffix(r.id, derived) {
			return r.id
		}
	}
	return ref
}

// RequirementIDs returns the ids of all requirements, in file order.
func (d *Directory) RequirementIDs() []string {
	out := make([]string, len(d.requirements))
	for i, r := range d.requirements {
		out[i] = r.id
	}
	return out
}

// Countries returns the countries of the directory, sorted.
func (d *Directory) Countries() []string {
	out := make([]string, 0, len(d.countries))
	for c := range d.countries {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// Service returns the data service (with its provider and preview support)
// whose access service party id URN is urn, and whether it exists.
func (d *Directory) Service(urn string) (DataService, bool) {
	if p := d.byURN[urn]; p != nil {
		return p.service, true
	}
	return DataService{}, false
}

// PreviewOf returns the preview support of the provider behind the access
// service with party id URN urn, PreviewUnknown for unknown ones. It makes
// a Directory a PreviewSource for Client.
func (d *Directory) PreviewOf(urn string) PreviewSupport {
	s, _ := d.Service(urn)
	return s.Preview
}

// demoUUID derives a stable name-based (SHA-1, version 5) UUID from parts,
// so the demo data keeps its identifiers across runs.
func demoUUID(parts ...string) string {
	ns := uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://vienreiz.lv/sr/"))
	return uuid.NewSHA1(ns, []byte(strings.Join(parts, "\x00"))).String()
}

// textsOf turns a lang → text map into Texts, English first, then by lang.
func textsOf(m map[string]string) Texts {
	out := make(Texts, 0, len(m))
	for l, v := range m {
		out = append(out, Text{Lang: l, Value: v})
	}
	sort.Slice(out, func(i, j int) bool {
		if (out[i].Lang == "EN") != (out[j].Lang == "EN") {
			return out[i].Lang == "EN"
		}
		return out[i].Lang < out[j].Lang
	})
	if len(out) == 0 {
		return nil
	}
	return out
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
