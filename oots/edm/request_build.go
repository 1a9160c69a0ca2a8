package edm

import (
	"fmt"

	"github.com/beevik/etree"
	"github.com/vienreiz/vienreiz/oots/regrep"
)

// Marshal returns the request as an EDM document of version v.
func (r *QueryRequest) Marshal(v Version) ([]byte, error) {
	doc, err := r.Build(v)
	if err != nil {
		return nil, err
	}
	return serialize(doc)
}

// Build returns the request as an etree document of version v. It checks
// the mandatory fields and names the first one missing.
func (r *QueryRequest) Build(v Version) (*etree.Document, error) {
	if err := v.check(); err != nil {
		return nil, err
	}
	if err := r.check(); err != nil {
		return nil, err
	}
	if err := r.checkRules(); err != nil {
		return nil, err
	}
	doc, root := newDocument("query:QueryRequest")
	if r.Lang != "" {
		root.CreateAttr("xml:lang", r.Lang)
	}
	root.CreateAttr("id", r.ID)

	regrep.NewSlot("SpecificationIdentifier", regrep.String(string(v))).Build(root)
	regrep.NewSlot("IssueDateTime", regrep.DateTime(r.IssueDateTime)).Build(root)
	if p := r.Procedure; p != nil {
		if v.Major() >= 2 {
			regrep.NewSlot("Procedure", regrep.String(p.Code)).Build(root)
		} else {
			regrep.NewSlot("Procedure", regrep.International(regrep.LocalizedString{Lang: p.Lang, Value: p.Code})).Build(root)
		}
	}
	if r.PreviewLocation != "" {
		regrep.NewSlot("PreviewLocation", regrep.String(r.PreviewLocation)).Build(root)
	}
	regrep.NewSlot("PossibilityForPreview", regrep.Bool(r.PossibilityForPreview)).Build(root)
	regrep.NewSlot("ExplicitRequestGiven", regrep.Bool(r.ExplicitRequestGiven)).Build(root)
	if len(r.Requirements) > 0 {
		sv := regrep.StartCollectionSlot(root, "Requirements", regrep.CollectionSet)
		for i := range r.Requirements {
			if _, err := buildRequirement(regrep.AddAnyElement(sv), &r.Requirements[i], v); err != nil {
				return nil, regrep.SlotErr("Requirements", err)
			}
		}
	}
	sv := regrep.StartCollectionSlot(root, "EvidenceRequester", regrep.CollectionSet)
	for i := range r.EvidenceRequesters {
		if _, err := buildAgent(regrep.AddAnyElement(sv), "sdg:Agent", &r.EvidenceRequesters[i]); err != nil {
			return nil, regrep.SlotErr("EvidenceRequester", err)
		}
	}
	if _, err := buildAgent(regrep.StartAnySlot(root, "EvidenceProvider"), "sdg:Agent", &r.EvidenceProvider); err != nil {
		return nil, regrep.SlotErr("EvidenceProvider", err)
	}
	if len(r.EvidenceProviderClassifications) > 0 {
		sv := regrep.StartCollectionSlot(root, "EvidenceProviderClassification", "")
		for i := range r.EvidenceProviderClassifications {
			if _, err := buildProviderClassification(regrep.AddAnyElement(sv), &r.EvidenceProviderClassifications[i]); err != nil {
				return nil, regrep.SlotErr("EvidenceProviderClassification", err)
			}
		}
	}
	root.CreateElement("query:ResponseOption").CreateAttr("returnType", "LeafClassWithRepositoryItem")
	q := root.CreateElement("query:Query")
	q.CreateAttr("queryDefinition", "DocumentQuery")
	if r.NaturalPerson != nil {
		if _, err := buildPerson(regrep.StartAnySlot(q, "NaturalPerson"), "sdg:Person", r.NaturalPerson); err != nil {
			return nil, regrep.SlotErr("NaturalPerson", err)
		}
	} else {
		if _, err := buildLegalPerson(regrep.StartAnySlot(q, "LegalPerson"), "sdg:LegalPerson", r.LegalPerson); err != nil {
			return nil, regrep.SlotErr("LegalPerson", err)
		}
	}
	if r.AuthorizedRepresentative != nil {
		if _, err := buildPerson(regrep.StartAnySlot(q, "AuthorizedRepresentative"), "sdg:Person", r.AuthorizedRepresentative); err != nil {
			return nil, regrep.SlotErr("AuthorizedRepresentative", err)
		}
	}
	if _, err := buildEvidenceType(regrep.StartAnySlot(q, "EvidenceRequest"), &r.EvidenceRequest, v); err != nil {
		return nil, regrep.SlotErr("EvidenceRequest", err)
	}
	return doc, nil
}

// check verifies the fields Build cannot write without.
func (r *QueryRequest) check() error {
	switch {
	case r.ID == "":
		return regrep.FieldErr("query:QueryRequest/@id", ErrMissing)
	case r.IssueDateTime.IsZero():
		return regrep.SlotErr("IssueDateTime", ErrMissing)
	case r.Procedure != nil && r.Procedure.Code == "":
		return regrep.SlotErr("Procedure", ErrMissing)
	case r.PreviewLocation != "" && checkPreviewLocation(r.PreviewLocation) != nil:
		return regrep.SlotErr("PreviewLocation", checkPreviewLocation(r.PreviewLocation))
	case len(r.EvidenceRequesters) == 0:
		return regrep.SlotErr("EvidenceRequester", ErrMissing)
	case (r.NaturalPerson == nil) == (r.LegalPerson == nil):
		return regrep.FieldErr("query:Query", fmt.Errorf("%w: exactly one of the NaturalPerson and LegalPerson slots must be set", ErrInvalid))
	}
	return nil
}
