package provider

import (
	"errors"
	"fmt"
	"slices"

	"github.com/vienreiz/vienreiz/oots/commonsvc"
)

// offer is one evidence type the provider serves, as the directory
// describes it, with the data services the directory names for it (empty
// when the directory names them only after user attributes).
type offer struct {
	Type     commonsvc.DataServiceEvidenceType
	Country  string
	Services []commonsvc.DataService
}

// catalog indexes the offers by evidence type id and classification.
type catalog struct {
	dir     *commonsvc.Directory
	offers  []*offer
	byID    map[string]*offer
	byClass map[string]*offer
}

// newCatalog collects every evidence type the directory lists for the
// countries. commonsvc.Directory has no "list all evidence types" call, so
// this walks its public queries: each requirement's evidence types per
// country, then the data services of each type. Types that need user
// attributes (DSD:ERR:0005) are taken from the error's evidence type, with
// their services resolved per request by party id.
func newCatalog(dir *commonsvc.Directory, countries []string) (*catalog, error) {
	c := &catalog{dir: dir, byID: map[string]*offer{}, byClass: map[string]*offer{}}
	if len(countries) == 0 {
		countries = dir.Countries()
	}
	for _, country := range countries {
		if !slices.Contains(dir.Countries(), country) {
			return nil, fmt.Errorf("provider: countries: %q is not in the directory", country)
		}
		for _, rid := range dir.RequirementIDs() {
			reqs, err := dir.EvidenceTypes(commonsvc.EvidenceTypesQuery{RequirementID: rid, Country: country})
			if commonsvc.CodeOf(err) == commonsvc.EBEmptyResult {
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("provider: evidence types of %s in %s: %w", rid, country, err)
			}
			for _, r := range reqs {
				for _, et := range r.EvidenceTypes() {
					if c.byClass[et.Classification] != nil {
						continue
					}
					if err := c.add(country, et.Classification); err != nil {
						return nil, err
					}
				}
			}
		}
	}
	if len(c.offers) == 0 {
		return nil, fmt.Errorf("provider: the directory lists no evidence type for %v", countries)
	}
	return c, nil
}

// add looks up the data services of one evidence type.
func (c *catalog) add(country, classification string) error {
	dsts, err := c.dir.DataServices(commonsvc.DataServicesQuery{Classification: classification, Country: country})
	var attrs *commonsvc.AttributesRequiredError
	switch {
	case errors.As(err, &attrs):
		for _, r := range attrs.Requests {
			if r.EvidenceType != nil {
				c.put(&offer{Type: *r.EvidenceType, Country: country})
			}
		}
		return nil
	case err != nil:
		return fmt.Errorf("provider: data services of %s: %w", classification, err)
	}
	for _, t := range dsts {
		c.put(&offer{Type: t, Country: country, Services: t.Services})
	}
	return nil
}

func (c *catalog) put(o *offer) {
	if c.byClass[o.Type.Classification] != nil {
		return
	}
	c.offers = append(c.offers, o)
	c.byClass[o.Type.Classification] = o
	c.byID[o.Type.ID] = o
}

// find returns the offer for the requested evidence type id or
// classification, or nil.
func (c *catalog) find(id, classification string) *offer {
	if o := c.byID[id]; o != nil && id != "" {
		return o
	}
	if o := c.byClass[classification]; o != nil && classification != "" {
		return o
	}
	return nil
}

// service returns the data service the request addressed: the first of
// the candidate party ids the directory knows in the offer's country, else
// the offer's only service. ok is false when none fits.
func (c *catalog) service(o *offer, candidates []commonsvc.PartyID) (commonsvc.DataService, bool) {
	for _, p := range candidates {
		// the request's EvidenceProvider and finalRecipient name the
		// Publisher (corner 4) of one of the offer's data services
		for _, s := range o.Services {
			if s.Provider.ID.Value == p.Value && (p.Type == "" || s.Provider.ID.Type == p.Type) {
				return s, true
			}
		}
		for _, urn := range []string{p.URN(), (commonsvc.PartyID{Type: commonsvc.PartyIDTypeUnregistered, Value: p.Value}).URN()} {
			s, ok := c.dir.Service(urn)
			if !ok || s.Provider.Country() != o.Country {
				continue
			}
			if len(o.Services) == 0 || slices.ContainsFunc(o.Services, func(x commonsvc.DataService) bool { return x.PartyID == s.PartyID }) {
				return s, true
			}
		}
	}
	if len(o.Services) == 1 {
		return o.Services[0], true
	}
	return commonsvc.DataService{}, false
}
