package commonsvc

import (
	"errors"
	"fmt"
	"strings"

	"github.com/beevik/etree"

	"github.com/vienreiz/vienreiz/oots/regrep"
	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

// ErrStatus means a query response has a status this client cannot use
// (neither Success with results nor Failure with an exception).
var ErrStatus = errors.New("unusable response status")

// answer is the service-independent content of a query:QueryResponse.
type answer struct {
	spec    string           // SpecificationIdentifier slot (v2.0), e.g. "oots-cs:v2.0"
	objects []*etree.Element // content of each RegistryObject's slot
}

// readAnswer parses data as a query:QueryResponse from svc whose registry
// objects carry their content in the AnyValueType slot slotName. An error
// answer becomes a *QueryError or *AttributesRequiredError.
func readAnswer(data []byte, svc Service, slotName string) (*answer, error) {
	doc, err := xmlsafe.ParseBytes(data)
	if err != nil {
		return nil, err
	}
	root := doc.Root()
	if !regrep.Is(root, regrep.NSQuery, "QueryResponse") {
		return nil, regrep.FieldErr("query:QueryResponse", fmt.Errorf("%w: root is %s", regrep.ErrNamespace, regrep.Name(root)))
	}
	status, ok := regrep.AttrNS(root, "", "status")
	if !ok {
		return nil, regrep.FieldErr("query:QueryResponse/@status", regrep.ErrMissing)
	}
	a := &answer{}
	slots, err := regrep.ReadSlots(root)
	if err != nil {
		return nil, fmt.Errorf("query:QueryResponse: %w", err)
	}
	if s := regrep.Find(slots, "SpecificationIdentifier"); s != nil {
		a.spec, _ = s.StringValue()
	}
	exceptions := regrep.ChildrenNS(root, regrep.NSRS, "Exception")
	if len(exceptions) > 0 {
		return nil, readExceptions(exceptions, svc)
	}
	switch status {
	case regrep.StatusSuccess:
	case regrep.StatusFailure:
		return nil, regrep.FieldErr("rs:Exception", fmt.Errorf("%w: Failure status without an exception", regrep.ErrMissing))
	default:
		return nil, regrep.FieldErr("query:QueryResponse/@status", fmt.Errorf("%w: %q", ErrStatus, status))
	}
	list := regrep.ChildNS(root, regrep.NSRIM, "RegistryObjectList")
	if list == nil {
		return a, nil // an empty result written without a list
	}
	for i, ro := range regrep.ChildrenNS(list, regrep.NSRIM, "RegistryObject") {
		slots, err := regrep.ReadSlots(ro)
		if err != nil {
			return nil, fmt.Errorf("rim:RegistryObject[%d]: %w", i+1, err)
		}
		s, err := regrep.Require(slots, slotName)
		if err != nil {
			return nil, fmt.Errorf("rim:RegistryObject[%d]: %w", i+1, err)
		}
		e, err := s.AnyValue()
		if err != nil {
			return nil, fmt.Errorf("rim:RegistryObject[%d]: %w", i+1, err)
		}
		a.objects = append(a.objects, e)
	}
	return a, nil
}

// readExceptions turns rs:Exception elements into the typed error: an
// AttributesRequiredError when any is DSD:ERR:0005, else a QueryError for
// the first.
func readExceptions(elems []*etree.Element, svc Service) error {
	var attrs *AttributesRequiredError
	var first *QueryError
	for i, e := range elems {
		x, err := regrep.ReadException(e)
		if err != nil {
			return fmt.Errorf("rs:Exception[%d]: %w", i+1, err)
		}
		if Code(x.Code) == DSDAttributesRequired {
			req, err := readAttributeRequest(x)
			if err != nil {
				return fmt.Errorf("rs:Exception[%d]: %w", i+1, err)
			}
			if attrs == nil {
				attrs = &AttributesRequiredError{}
			}
			attrs.Requests = append(attrs.Requests, req)
			continue
		}
		if first == nil {
			first = &QueryError{Service: svc, Code: Code(x.Code), Type: x.Type, Severity: x.Severity, Message: x.Message, Detail: x.Detail}
		}
	}
	if attrs != nil {
		return attrs
	}
	return first
}

// readAttributeRequest reads the slots of a DSD:ERR:0005 exception.
func readAttributeRequest(x regrep.Exception) (AttributeRequest, error) {
	r := AttributeRequest{Message: x.Message, Detail: x.Detail}
	if s := regrep.Find(x.Slots, "DataServiceEvidenceType"); s != nil {
		e, err := s.AnyValue()
		if err != nil {
			return r, err
		}
		et, err := readDataServiceEvidenceType(e)
		if err != nil {
			return r, regrep.SlotErr(s.Name, err)
		}
		r.EvidenceType = &et
	}
	if s := regrep.Find(x.Slots, "JurisdictionDetermination"); s != nil {
		e, err := s.AnyValue()
		if err != nil {
			return r, err
		}
		jd, err := readJurisdictionDetermination(e)
		if err != nil {
			return r, regrep.SlotErr(s.Name, err)
		}
		r.Jurisdiction = &jd
	}
	if s := regrep.Find(x.Slots, "UserRequestedClassificationConcepts"); s != nil {
		elems, err := s.AnyElements()
		if err != nil {
			return r, err
		}
		for i, e := range elems {
			c, err := readConcept(e, "sdg:EvidenceProviderClassification")
			if err != nil {
				return r, regrep.SlotErr(s.Name, fmt.Errorf("rim:Element[%d]: %w", i+1, err))
			}
			r.Classifications = append(r.Classifications, c)
		}
	}
	if r.Jurisdiction == nil && len(r.Classifications) == 0 {
		return r, regrep.SlotErr("JurisdictionDetermination", fmt.Errorf("%w: DSD:ERR:0005 asks for nothing (neither JurisdictionDetermination nor UserRequestedClassificationConcepts)", regrep.ErrMissing))
	}
	return r, nil
}

// sdg returns the first sdg child called local, or nil.
func sdg(e *etree.Element, local string) *etree.Element {
	return regrep.ChildNS(e, regrep.NSSDG, local)
}

// sdgAll returns the sdg children called local.
func sdgAll(e *etree.Element, local string) []*etree.Element {
	return regrep.ChildrenNS(e, regrep.NSSDG, local)
}

// text returns the trimmed text of the sdg child called local, or "".
func text(e *etree.Element, local string) string {
	if c := sdg(e, local); c != nil {
		return strings.TrimSpace(c.Text())
	}
	return ""
}

// required returns the text of a mandatory sdg child, or an error naming it.
func required(e *etree.Element, local string) (string, error) {
	v := text(e, local)
	if v == "" {
		return "", regrep.FieldErr("sdg:"+e.Tag+"/sdg:"+local, regrep.ErrMissing)
	}
	return v, nil
}

// texts reads the language variants of the sdg children called local.
func texts(e *etree.Element, local string) Texts {
	var out Texts
	for _, c := range sdgAll(e, local) {
		lang, _ := regrep.AttrNS(c, "", "lang")
		out = append(out, Text{Lang: lang, Value: strings.TrimSpace(c.Text())})
	}
	return out
}

// identifier reads an sdg:Identifier with its schemeID.
func identifier(e *etree.Element) PartyID {
	c := sdg(e, "Identifier")
	if c == nil {
		return PartyID{}
	}
	scheme, _ := regrep.AttrNS(c, "", "schemeID")
	return PartyID{Type: scheme, Value: strings.TrimSpace(c.Text())}
}

func readJurisdiction(e *etree.Element) (Jurisdiction, error) {
	j := Jurisdiction{
		Country:     text(e, "AdminUnitLevel1"),
		AdminLevel2: text(e, "AdminUnitLevel2"),
		AdminLevel3: text(e, "AdminUnitLevel3"),
	}
	if j.Country == "" {
		return j, regrep.FieldErr("sdg:Jurisdiction/sdg:AdminUnitLevel1", regrep.ErrMissing)
	}
	return j, nil
}

func readConcept(e *etree.Element, field string) (ClassificationConcept, error) {
	c := ClassificationConcept{
		ID:              text(e, "Identifier"),
		Type:            text(e, "Type"),
		ValueExpression: text(e, "ValueExpression"),
		Descriptions:    texts(e, "Description"),
	}
	if c.ID == "" {
		return c, regrep.FieldErr(field+"/sdg:Identifier", regrep.ErrMissing)
	}
	if sv := sdg(e, "SupportedValue"); sv != nil {
		for _, v := range sv.ChildElements() {
			c.SupportedValues = append(c.SupportedValues, strings.TrimSpace(v.Text()))
		}
	}
	return c, nil
}

func readJurisdictionDetermination(e *etree.Element) (JurisdictionDetermination, error) {
	if !regrep.Is(e, regrep.NSSDG, "EvidenceProviderJurisdictionDetermination") {
		return JurisdictionDetermination{}, regrep.FieldErr("sdg:EvidenceProviderJurisdictionDetermination", fmt.Errorf("%w: %s", regrep.ErrNamespace, regrep.Name(e)))
	}
	jd := JurisdictionDetermination{
		ContextID: text(e, "JurisdictionContextId"),
		Contexts:  texts(e, "JurisdictionContext"),
		Level:     text(e, "JurisdictionLevel"),
	}
	if jd.ContextID == "" {
		return jd, regrep.FieldErr("sdg:EvidenceProviderJurisdictionDetermination/sdg:JurisdictionContextId", regrep.ErrMissing)
	}
	if jd.Level == "" {
		return jd, regrep.FieldErr("sdg:EvidenceProviderJurisdictionDetermination/sdg:JurisdictionLevel", regrep.ErrMissing)
	}
	return jd, nil
}
