package edm

import (
	"fmt"

	"github.com/beevik/etree"
	"github.com/vienreiz/vienreiz/oots/regrep"
)

// ParseQueryResponse parses a successful EDM evidence response of any
// supported version. A response carrying an rs:Exception is refused with
// ErrInvalid; use Parse or ParseExceptionResponse for those.
func ParseQueryResponse(data []byte) (*QueryResponse, error) {
	root, err := parseRoot(data, "QueryResponse")
	if err != nil {
		return nil, err
	}
	return QueryResponseFromElement(root)
}

// QueryResponseFromElement reads a query:QueryResponse element without
// rs:Exception from an already parsed document.
func QueryResponseFromElement(root *etree.Element) (*QueryResponse, error) {
	if !regrep.Is(root, regrep.NSQuery, "QueryResponse") {
		return nil, regrep.FieldErr("query:QueryResponse", fmt.Errorf("%w: root is %s", ErrRoot, regrep.Name(root)))
	}
	if regrep.ChildNS(root, regrep.NSRS, "Exception") != nil {
		return nil, regrep.FieldErr("rs:Exception", fmt.Errorf("%w: an error response is not an evidence response", ErrInvalid))
	}
	r := &QueryResponse{}
	var ok bool
	if r.Status, ok = regrep.AttrNS(root, "", "status"); !ok || r.Status == "" {
		return nil, regrep.FieldErr("query:QueryResponse/@status", ErrMissing)
	}
	if r.Status != StatusSuccess && r.Status != StatusUnavailable {
		return nil, regrep.FieldErr("query:QueryResponse/@status", fmt.Errorf("%w: %q without rs:Exception", ErrInvalid, r.Status))
	}
	if r.RequestID, ok = regrep.AttrNS(root, "", "requestId"); !ok || r.RequestID == "" {
		return nil, regrep.FieldErr("query:QueryResponse/@requestId", ErrMissing)
	}
	raw, err := regrep.ReadSlots(root)
	if err != nil {
		return nil, err
	}
	slots := slotSet(raw)
	if r.Version, err = readVersion(slots); err != nil {
		return nil, err
	}
	if r.ResponseID, err = slots.str("EvidenceResponseIdentifier", true); err != nil {
		return nil, err
	}
	if r.IssueDateTime, err = slots.dateTime("IssueDateTime", true); err != nil {
		return nil, err
	}
	if r.ResponseAvailableDateTime, err = slots.dateTime("ResponseAvailableDateTime", false); err != nil {
		return nil, err
	}
	if r.EvidenceProviders, err = slots.agents("EvidenceProvider", true); err != nil {
		return nil, err
	}
	er, err := slots.agent("EvidenceRequester", true)
	if err != nil {
		return nil, err
	}
	r.EvidenceRequester = *er
	// A success always has the list; an empty one means "no evidence".
	list := regrep.ChildNS(root, regrep.NSRIM, "RegistryObjectList")
	if list == nil && r.Status == StatusSuccess {
		return nil, regrep.FieldErr("rim:RegistryObjectList", ErrMissing)
	}
	if list != nil {
		if err := r.readObjects(list, 0); err != nil {
			return nil, err
		}
	}
	if err := r.checkRules(); err != nil {
		return nil, err
	}
	return r, nil
}

// readObjects reads the registry objects of list: extrinsic objects are
// evidence; a registry package (v2) is entered once.
func (r *QueryResponse) readObjects(list *etree.Element, depth int) error {
	for _, o := range regrep.ChildrenNS(list, regrep.NSRIM, "RegistryObject") {
		id, _ := regrep.AttrNS(o, "", "id")
		field := "rim:RegistryObject[@id='" + id + "']"
		if id == "" {
			return regrep.FieldErr("rim:RegistryObject/@id", ErrMissing)
		}
		xt, _ := regrep.AttrNS(o, regrep.NSXSI, "type")
		ns, local, ok := regrep.ResolveQName(o, xt)
		if !ok || ns != regrep.NSRIM {
			return regrep.FieldErr(field+"/@xsi:type", fmt.Errorf("%w: %q", ErrWrongType, xt))
		}
		switch local {
		case "ExtrinsicObjectType":
			item, err := readItem(o, id)
			if err != nil {
				return regrep.FieldErr(field, err)
			}
			r.Evidence = append(r.Evidence, item)
		case "RegistryPackageType":
			if depth > 0 {
				return regrep.FieldErr(field, fmt.Errorf("%w: nested registry package", ErrInvalid))
			}
			r.PackageID = id
			if inner := regrep.ChildNS(o, regrep.NSRIM, "RegistryObjectList"); inner != nil {
				if err := r.readObjects(inner, depth+1); err != nil {
					return err
				}
			}
		default:
			return regrep.FieldErr(field+"/@xsi:type", fmt.Errorf("%w: %q", ErrWrongType, xt))
		}
	}
	return nil
}

func readItem(o *etree.Element, id string) (EvidenceItem, error) {
	item := EvidenceItem{ID: id}
	raw, err := regrep.ReadSlots(o)
	if err != nil {
		return item, err
	}
	els, err := slotSet(raw).anys("EvidenceMetadata", true)
	if err != nil {
		return item, err
	}
	if len(els) > 1 {
		return item, regrep.SlotErr("EvidenceMetadata", ErrDuplicate)
	}
	if item.Metadata, err = parseEvidence(els[0]); err != nil {
		return item, regrep.SlotErr("EvidenceMetadata", err)
	}
	if c := regrep.ChildNS(o, regrep.NSRIM, "Classification"); c != nil {
		oc := &ObjectClassification{}
		oc.ID, _ = regrep.AttrNS(c, "", "id")
		oc.Scheme, _ = regrep.AttrNS(c, "", "classificationScheme")
		oc.Node, _ = regrep.AttrNS(c, "", "classificationNode")
		item.Classification = oc
	}
	ref := regrep.ChildNS(o, regrep.NSRIM, "RepositoryItemRef")
	if ref == nil {
		return item, regrep.FieldErr("rim:RepositoryItemRef", ErrMissing)
	}
	var ok bool
	if item.Attachment.Href, ok = regrep.AttrNS(ref, regrep.NSXLink, "href"); !ok || item.Attachment.Href == "" {
		return item, regrep.FieldErr("rim:RepositoryItemRef/@xlink:href", ErrMissing)
	}
	if item.Attachment.Title, ok = regrep.AttrNS(ref, regrep.NSXLink, "title"); !ok || item.Attachment.Title == "" {
		return item, regrep.FieldErr("rim:RepositoryItemRef/@xlink:title", ErrMissing)
	}
	return item, nil
}
