package demonode

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/vienreiz/vienreiz/oots/as4/pmode"
	"github.com/vienreiz/vienreiz/oots/as4/pmode/demo"
	"github.com/vienreiz/vienreiz/oots/commonsvc"
)

// Party names of the two sides in the demo P-Modes.
const (
	RequesterParty = "LV"
	ProviderParty  = "DEMO"
)

// sides loads the demo setup from dir/pki, generating and writing it when
// absent, and points both configurations at the given endpoints, with
// the provider answering to ids.
func sides(dir, password string, reqEPs, provEPs []string, ids []pmode.PartyID) (req, prov demo.Side, err error) {
	pki := filepath.Join(dir, "pki")
	if err := resealDefault(pki, password); err != nil {
		return req, prov, err
	}
	req, err = demo.LoadSide(filepath.Join(pki, RequesterParty), password)
	if errors.Is(err, fs.ErrNotExist) {
		var s *demo.Setup
		s, err = demo.New(demo.Options{
			RequesterName: RequesterParty, ProviderName: ProviderParty,
			RequesterEndpoints: reqEPs, ProviderEndpoints: provEPs, ProviderIDs: ids,
		})
		if err != nil {
			return req, prov, fmt.Errorf("demonode: generate setup: %w", err)
		}
		if err := os.MkdirAll(pki, 0o700); err != nil {
			return req, prov, fmt.Errorf("demonode: setup folder: %w", err)
		}
		if err := s.WriteFiles(pki, password); err != nil {
			return req, prov, fmt.Errorf("demonode: write setup: %w", err)
		}
		return s.Requester, s.Provider, nil
	}
	if err != nil {
		return req, prov, fmt.Errorf("demonode: load %s side: %w", RequesterParty, err)
	}
	if prov, err = demo.LoadSide(filepath.Join(pki, ProviderParty), password); err != nil {
		return req, prov, fmt.Errorf("demonode: load %s side: %w", ProviderParty, err)
	}
	for _, side := range []demo.Side{req, prov} {
		if err := rewrite(side.Config, reqEPs, provEPs, ids); err != nil {
			return req, prov, err
		}
	}
	return req, prov, nil
}

// rewrite sets the endpoints of both parties and, unless ids is nil, the
// provider's ids.
func rewrite(c *pmode.Config, reqEPs, provEPs []string, ids []pmode.PartyID) error {
	r, err := c.Party(RequesterParty)
	if err != nil {
		return fmt.Errorf("demonode: stored setup of %s: %w", c.Self, err)
	}
	p, err := c.Party(ProviderParty)
	if err != nil {
		return fmt.Errorf("demonode: stored setup of %s: %w", c.Self, err)
	}
	r.Endpoints = append([]string(nil), reqEPs...)
	p.Endpoints = append([]string(nil), provEPs...)
	if ids != nil {
		p.IDs = append([]pmode.PartyID(nil), ids...)
	}
	if err := c.Validate(); err != nil {
		return fmt.Errorf("demonode: rewritten setup of %s: %w", c.Self, err)
	}
	return nil
}

// providerIDs is the demo access point id and every data service party id
// the directory names, so requests addressed by a DSD party id reach the
// demo member state. It walks the directory's public queries; data
// services that need a jurisdiction from the user are not reachable this
// way and are left out, those behind a provider classification are found
// by trying each supported value.
func providerIDs(dir *commonsvc.Directory) []pmode.PartyID {
	ids := []pmode.PartyID{{Value: "AP_DEMO_01", Type: demo.PartyIDType}}
	seen := map[commonsvc.PartyID]bool{}
	add := func(ts []commonsvc.DataServiceEvidenceType) {
		for _, t := range ts {
			for _, s := range t.Services {
				if !seen[s.PartyID] {
					seen[s.PartyID] = true
					ids = append(ids, pmode.PartyID{Value: s.PartyID.Value, Type: s.PartyID.Type})
				}
			}
		}
	}
	done := map[string]bool{}
	for _, country := range dir.Countries() {
		for _, rid := range dir.RequirementIDs() {
			reqs, err := dir.EvidenceTypes(commonsvc.EvidenceTypesQuery{RequirementID: rid, Country: country})
			if err != nil {
				continue
			}
			for _, r := range reqs {
				for _, et := range r.EvidenceTypes() {
					if done[et.Classification] {
						continue
					}
					done[et.Classification] = true
					ts, err := dir.DataServices(commonsvc.DataServicesQuery{Classification: et.Classification, Country: country})
					add(ts)
					var attrs *commonsvc.AttributesRequiredError
					if errors.As(err, &attrs) {
						add(byClassification(dir, et.Classification, country, attrs))
					}
				}
			}
		}
	}
	return ids
}

// byClassification answers a DSD:ERR:0005 that asks only for provider
// classifications with each supported value in turn.
func byClassification(dir *commonsvc.Directory, class, country string, attrs *commonsvc.AttributesRequiredError) []commonsvc.DataServiceEvidenceType {
	var out []commonsvc.DataServiceEvidenceType
	for _, r := range attrs.Requests {
		if r.Jurisdiction != nil || r.EvidenceType == nil || len(r.Classifications) != 1 {
			continue
		}
		c := r.Classifications[0]
		for _, v := range c.SupportedValues {
			ts, err := dir.DataServices(commonsvc.DataServicesQuery{
				Classification: class, Country: country, EvidenceTypeID: r.EvidenceType.ID,
				Classifications: map[string]string{c.ID: v},
			})
			if err == nil {
				out = append(out, ts...)
			}
		}
	}
	return out
}

// resealDefault seals again with password the stores of a setup written
// before the demo's password was kept in the OS secret store (sealed with
// DefaultPassword); stores that open with password, or a setup not yet
// written, are left as they are.
func resealDefault(pki, password string) error {
	if password == DefaultPassword {
		return nil
	}
	for _, party := range []string{RequesterParty, ProviderParty} {
		dir := filepath.Join(pki, party)
		if _, err := demo.LoadSide(dir, password); err == nil || errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if _, err := demo.LoadSide(dir, DefaultPassword); err != nil {
			continue // neither seal: LoadSide reports it
		}
		if err := demo.Reseal(dir, DefaultPassword, password); err != nil {
			return fmt.Errorf("demonode: sealing the %s side with the new password: %w", party, err)
		}
	}
	return nil
}
