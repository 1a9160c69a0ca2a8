package edm

import (
	"strconv"

	"github.com/beevik/etree"
	"github.com/vienreiz/vienreiz/oots/regrep"
)

// Marshal returns the response as an EDM document of version v.
func (r *QueryResponse) Marshal(v Version) ([]byte, error) {
	doc, err := r.Build(v)
	if err != nil {
		return nil, err
	}
	return serialize(doc)
}

// Build returns the response as an etree document of version v.
func (r *QueryResponse) Build(v Version) (*etree.Document, error) {
	if err := v.check(); err != nil {
		return nil, err
	}
	if err := r.check(); err != nil {
		return nil, err
	}
	if err := r.checkRules(); err != nil {
		return nil, err
	}
	doc, root := newDocument("query:QueryResponse")
	status := r.Status
	if status == "" {
		status = StatusSuccess
	}
	root.CreateAttr("status", status)
	root.CreateAttr("requestId", r.RequestID)

	regrep.NewSlot("SpecificationIdentifier", regrep.String(string(v))).Build(root)
	regrep.NewSlot("EvidenceResponseIdentifier", regrep.String(r.ResponseID)).Build(root)
	regrep.NewSlot("IssueDateTime", regrep.DateTime(r.IssueDateTime)).Build(root)
	if !r.ResponseAvailableDateTime.IsZero() {
		regrep.NewSlot("ResponseAvailableDateTime", regrep.DateTime(r.ResponseAvailableDateTime)).Build(root)
	}
	sv := regrep.StartCollectionSlot(root, "EvidenceProvider", regrep.CollectionSet)
	for i := range r.EvidenceProviders {
		if _, err := buildAgent(regrep.AddAnyElement(sv), "sdg:Agent", &r.EvidenceProviders[i]); err != nil {
			return nil, regrep.SlotErr("EvidenceProvider", err)
		}
	}
	if _, err := buildAgent(regrep.StartAnySlot(root, "EvidenceRequester"), "sdg:Agent", &r.EvidenceRequester); err != nil {
		return nil, regrep.SlotErr("EvidenceRequester", err)
	}
	if len(r.Evidence) == 0 && r.Status != "" && r.Status != StatusSuccess {
		return doc, nil
	}
	// A success without evidence is an empty list (Projectathon TC02).
	list := root.CreateElement("rim:RegistryObjectList")
	if v.Major() >= 2 && len(r.Evidence) > 0 {
		pkg := list.CreateElement("rim:RegistryObject")
		pkg.CreateAttr("xsi:type", "rim:RegistryPackageType")
		id := r.PackageID
		if id == "" {
			id = derivedID("package:" + r.ResponseID)
		}
		pkg.CreateAttr("id", id)
		list = pkg.CreateElement("rim:RegistryObjectList")
	}
	for i := range r.Evidence {
		item := &r.Evidence[i]
		c := item.Classification
		if c == nil && i == 0 && v.Major() >= 2 {
			c = &ObjectClassification{ID: derivedID("main:" + item.ID), Scheme: ClassificationSchemeEDM, Node: NodeMainEvidence}
		}
		if err := buildItem(list, item, c); err != nil {
			return nil, err
		}
	}
	return doc, nil
}

func buildItem(list *etree.Element, item *EvidenceItem, c *ObjectClassification) error {
	o := list.CreateElement("rim:RegistryObject")
	o.CreateAttr("xsi:type", "rim:ExtrinsicObjectType")
	o.CreateAttr("id", item.ID)
	if _, err := buildEvidence(regrep.StartAnySlot(o, "EvidenceMetadata"), &item.Metadata); err != nil {
		return regrep.FieldErr("rim:RegistryObject[@id='"+item.ID+"']", regrep.SlotErr("EvidenceMetadata", err))
	}
	if c != nil {
		ce := o.CreateElement("rim:Classification")
		ce.CreateAttr("id", c.ID)
		ce.CreateAttr("classificationScheme", c.Scheme)
		ce.CreateAttr("classificationNode", c.Node)
	}
	ref := o.CreateElement("rim:RepositoryItemRef")
	ref.CreateAttr("xlink:href", item.Attachment.Href)
	ref.CreateAttr("xlink:title", item.Attachment.Title)
	return nil
}

func (r *QueryResponse) check() error {
	switch {
	case r.RequestID == "":
		return regrep.FieldErr("query:QueryResponse/@requestId", ErrMissing)
	case r.ResponseID == "":
		return regrep.SlotErr("EvidenceResponseIdentifier", ErrMissing)
	case r.IssueDateTime.IsZero():
		return regrep.SlotErr("IssueDateTime", ErrMissing)
	case len(r.EvidenceProviders) == 0:
		return regrep.SlotErr("EvidenceProvider", ErrMissing)
	}
	for i := range r.Evidence {
		it := &r.Evidence[i]
		field := "rim:RegistryObject[" + strconv.Itoa(i+1) + "]"
		switch {
		case it.ID == "":
			return regrep.FieldErr(field+"/@id", ErrMissing)
		case it.Attachment.Href == "":
			return regrep.FieldErr(field+"/rim:RepositoryItemRef/@xlink:href", ErrMissing)
		case it.Attachment.Title == "":
			return regrep.FieldErr(field+"/rim:RepositoryItemRef/@xlink:title", ErrMissing)
		}
	}
	return nil
}
