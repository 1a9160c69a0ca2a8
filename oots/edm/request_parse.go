package edm

import (
	"fmt"

	"github.com/beevik/etree"
	"github.com/vienreiz/vienreiz/oots/regrep"
)

// ParseQueryRequest parses an EDM evidence request of any supported
// version. Input goes through oots/xmlsafe; every error names the slot,
// element or attribute at fault.
func ParseQueryRequest(data []byte) (*QueryRequest, error) {
	root, err := parseRoot(data, "QueryRequest")
	if err != nil {
		return nil, err
	}
	return QueryRequestFromElement(root)
}

// QueryRequestFromElement reads a query:QueryRequest element of an
// already parsed document (e.g. one taken out of a SOAP body).
func QueryRequestFromElement(root *etree.Element) (*QueryRequest, error) {
	if !regrep.Is(root, regrep.NSQuery, "QueryRequest") {
		return nil, regrep.FieldErr("query:QueryRequest", fmt.Errorf("%w: root is %s", ErrRoot, regrep.Name(root)))
	}
	r := &QueryRequest{}
	var ok bool
	if r.ID, ok = regrep.AttrNS(root, "", "id"); !ok || r.ID == "" {
		return nil, regrep.FieldErr("query:QueryRequest/@id", ErrMissing)
	}
	r.Lang, _ = regrep.AttrNS(root, regrep.NSXML, "lang")
	raw, err := regrep.ReadSlots(root)
	if err != nil {
		return nil, err
	}
	slots := slotSet(raw)
	if r.Version, err = readVersion(slots); err != nil {
		return nil, err
	}
	if r.IssueDateTime, err = slots.dateTime("IssueDateTime", true); err != nil {
		return nil, err
	}
	if r.Procedure, err = readProcedure(slots); err != nil {
		return nil, err
	}
	if r.PreviewLocation, err = slots.str("PreviewLocation", false); err != nil {
		return nil, err
	}
	if r.PreviewLocation != "" {
		if err := checkPreviewLocation(r.PreviewLocation); err != nil {
			return nil, regrep.SlotErr("PreviewLocation", err)
		}
	}
	if r.PossibilityForPreview, err = slots.boolean("PossibilityForPreview"); err != nil {
		return nil, err
	}
	if r.ExplicitRequestGiven, err = slots.boolean("ExplicitRequestGiven"); err != nil {
		return nil, err
	}
	reqs, err := slots.anys("Requirements", false)
	if err != nil {
		return nil, err
	}
	for _, e := range reqs {
		req, err := parseRequirement(e)
		if err != nil {
			return nil, regrep.SlotErr("Requirements", err)
		}
		r.Requirements = append(r.Requirements, req)
	}
	if r.EvidenceRequesters, err = slots.agents("EvidenceRequester", true); err != nil {
		return nil, err
	}
	ep, err := slots.agent("EvidenceProvider", true)
	if err != nil {
		return nil, err
	}
	r.EvidenceProvider = *ep
	pcs, err := slots.anys("EvidenceProviderClassification", false)
	if err != nil {
		return nil, err
	}
	for _, e := range pcs {
		pc, err := parseProviderClassification(e)
		if err != nil {
			return nil, regrep.SlotErr("EvidenceProviderClassification", err)
		}
		r.EvidenceProviderClassifications = append(r.EvidenceProviderClassifications, pc)
	}
	if err := r.readQuery(root); err != nil {
		return nil, err
	}
	if err := r.checkRules(); err != nil {
		return nil, err
	}
	return r, nil
}

// readQuery reads the query:Query element: subject, representative and
// the requested evidence type.
func (r *QueryRequest) readQuery(root *etree.Element) error {
	q := regrep.ChildNS(root, regrep.NSQuery, "Query")
	if q == nil {
		return regrep.FieldErr("query:Query", ErrMissing)
	}
	raw, err := regrep.ReadSlots(q)
	if err != nil {
		return fmt.Errorf("query:Query: %w", err)
	}
	slots := slotSet(raw)
	np, err := slots.anys("NaturalPerson", false)
	if err != nil {
		return err
	}
	lp, err := slots.anys("LegalPerson", false)
	if err != nil {
		return err
	}
	switch {
	case len(np) == 0 && len(lp) == 0:
		return regrep.FieldErr("query:Query", fmt.Errorf("%w: slot NaturalPerson or LegalPerson", ErrMissing))
	case len(np) > 0 && len(lp) > 0:
		return regrep.FieldErr("query:Query", fmt.Errorf("%w: both NaturalPerson and LegalPerson", ErrDuplicate))
	case len(np) > 1 || len(lp) > 1:
		return regrep.FieldErr("query:Query", fmt.Errorf("%w: more than one subject", ErrDuplicate))
	case len(np) == 1:
		if err := expect(np[0], "Person"); err != nil {
			return regrep.SlotErr("NaturalPerson", err)
		}
		if r.NaturalPerson, err = parsePerson(np[0]); err != nil {
			return regrep.SlotErr("NaturalPerson", err)
		}
	default:
		if err := expect(lp[0], "LegalPerson"); err != nil {
			return regrep.SlotErr("LegalPerson", err)
		}
		if r.LegalPerson, err = parseLegalPerson(lp[0]); err != nil {
			return regrep.SlotErr("LegalPerson", err)
		}
	}
	ar, err := slots.anys("AuthorizedRepresentative", false)
	if err != nil {
		return err
	}
	if len(ar) > 1 {
		return regrep.SlotErr("AuthorizedRepresentative", ErrDuplicate)
	}
	if len(ar) == 1 {
		if err := expect(ar[0], "Person"); err != nil {
			return regrep.SlotErr("AuthorizedRepresentative", err)
		}
		if r.AuthorizedRepresentative, err = parsePerson(ar[0]); err != nil {
			return regrep.SlotErr("AuthorizedRepresentative", err)
		}
	}
	er, err := slots.anys("EvidenceRequest", true)
	if err != nil {
		return err
	}
	if len(er) > 1 {
		return regrep.SlotErr("EvidenceRequest", ErrDuplicate)
	}
	if r.EvidenceRequest, err = parseEvidenceType(er[0]); err != nil {
		return regrep.SlotErr("EvidenceRequest", err)
	}
	return nil
}

// readVersion reads and checks the SpecificationIdentifier slot.
func readVersion(slots slotSet) (Version, error) {
	s, err := slots.str("SpecificationIdentifier", true)
	if err != nil {
		return "", err
	}
	v := Version(s)
	if err := v.check(); err != nil {
		return "", regrep.SlotErr("SpecificationIdentifier", err)
	}
	return v, nil
}

// readProcedure accepts both layouts: an international string (v1) or a
// plain string (v2).
func readProcedure(slots slotSet) (*Procedure, error) {
	sl, err := slots.lookup("Procedure", false)
	if err != nil || sl == nil {
		return nil, err
	}
	switch sl.Value.Kind {
	case regrep.KindString:
		if c := stringsTrim(sl.Value.Text); c != "" {
			return &Procedure{Code: c}, nil
		}
	case regrep.KindInternational:
		if len(sl.Value.Strings) > 0 {
			ls := sl.Value.Strings[0]
			return &Procedure{Code: stringsTrim(ls.Value), Lang: ls.Lang}, nil
		}
	default:
		return nil, regrep.SlotErr("Procedure", fmt.Errorf("%w: %s (want InternationalStringValueType or StringValueType)", ErrWrongType, sl.Value.Kind))
	}
	return nil, regrep.SlotErr("Procedure", fmt.Errorf("rim:Value: %w", ErrMissing))
}
