package conformance

import (
	"fmt"
	"strings"

	"github.com/beevik/etree"
)

// Kind is the kind of an OOTS message; it picks the schema and rule sets.
type Kind string

// The message kinds.
const (
	Auto        Kind = ""
	EDMRequest  Kind = "edm-request"
	EDMResponse Kind = "edm-response"
	EDMError    Kind = "edm-error"
	EBResponse  Kind = "eb-response"
	EBError     Kind = "eb-error"
	DSDResponse Kind = "dsd-response"
	DSDError    Kind = "dsd-error"
	LCM         Kind = "lcm"
	EbMS        Kind = "ebms"   // an eb:Messaging header or SOAP envelope: schema only
	RegRep      Kind = "regrep" // another RegRep document: schema only
)

const (
	nsQuery  = "urn:oasis:names:tc:ebxml-regrep:xsd:query:4.0"
	nsRS     = "urn:oasis:names:tc:ebxml-regrep:xsd:rs:4.0"
	nsLCM    = "urn:oasis:names:tc:ebxml-regrep:xsd:lcm:4.0"
	nsEb     = "http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/"
	nsSoap12 = "http://www.w3.org/2003/05/soap-envelope"
	nsSoap11 = "http://schemas.xmlsoap.org/soap/envelope/"
	failure  = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure"
)

// detect parses data and returns its kind (want, unless Auto) and the
// Schematron rule sets that apply to it.
func detect(data []byte, want Kind) (Kind, []string, error) {
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(data); err != nil {
		return "", nil, fmt.Errorf("not well-formed XML: %v", err)
	}
	root := doc.Root()
	if root == nil {
		return "", nil, fmt.Errorf("no root element")
	}
	kind := want
	if kind == Auto {
		kind = kindOf(root)
		if kind == "" {
			return "", nil, fmt.Errorf("not an OOTS message (root element {%s}%s)", root.NamespaceURI(), root.Tag)
		}
	}
	return kind, ruleSets(kind, root), nil
}

func kindOf(root *etree.Element) Kind {
	ns := root.NamespaceURI()
	var codes []string
	for _, e := range children(root, "Exception") {
		codes = append(codes, e.SelectAttrValue("code", ""))
	}
	hasCode := func(prefix string) bool {
		for _, c := range codes {
			if strings.HasPrefix(c, prefix) {
				return true
			}
		}
		return false
	}
	edmSlots := false
	for _, s := range children(root, "Slot") {
		switch name := s.SelectAttrValue("name", ""); name {
		case "EvidenceResponseIdentifier", "ErrorProvider", "EvidenceProvider", "EvidenceRequester":
			edmSlots = true
		case "SpecificationIdentifier":
			edmSlots = edmSlots || strings.HasPrefix(strings.TrimSpace(deepText(s)), "oots-edm")
		}
	}
	isError := len(codes) > 0 || root.SelectAttrValue("status", "") == failure
	switch {
	case ns == nsQuery && root.Tag == "QueryRequest":
		return EDMRequest
	case ns == nsQuery && root.Tag == "QueryResponse" && isError:
		switch {
		case hasCode("EDM:"):
			return EDMError
		case hasCode("DSD:"):
			return DSDError
		case hasCode("EB:"):
			return EBError
		case edmSlots:
			return EDMError
		}
		return RegRep
	case ns == nsQuery && root.Tag == "QueryResponse":
		switch {
		case edmSlots:
			return EDMResponse
		case len(objectSlots(root, "DataServiceEvidenceType")) > 0:
			return DSDResponse
		case len(objectSlots(root, "Requirement")) > 0:
			return EBResponse
		}
		return RegRep
	case ns == nsLCM && root.Tag == "SubmitObjectsRequest", ns == nsRS && root.Tag == "RegistryResponse":
		return LCM
	case ns == nsEb && root.Tag == "Messaging", (ns == nsSoap12 || ns == nsSoap11) && root.Tag == "Envelope":
		return EbMS
	case ns == nsQuery || ns == nsRS || ns == nsLCM:
		return RegRep
	}
	return ""
}

// ruleSets returns the official rule sets for a message of kind k.
func ruleSets(k Kind, root *etree.Element) []string {
	switch k {
	case EDMRequest:
		return []string{"EDM-REQ-C", "EDM-REQ-S"}
	case EDMResponse:
		return []string{"EDM-RESP-C", "EDM-RESP-S"}
	case EDMError:
		return []string{"EDM-ERR-C", "EDM-ERR-S"}
	case EBError:
		return []string{"EB-ERR"}
	case DSDResponse:
		return []string{"DSD-RESP-C", "DSD-RESP-S"}
	case DSDError:
		return []string{"DSD-ERR-C", "DSD-ERR-S"}
	case EBResponse:
		// "Get Evidence Types for Requirement" answers nest an EvidenceTypeList
		// in the Requirement; "Get List of Requirements" answers do not.
		for _, s := range objectSlots(root, "Requirement") {
			if len(s.FindElements(".//EvidenceTypeList")) > 0 {
				return []string{"EB-EVI-C", "EB-EVI-S"}
			}
		}
		return []string{"EB-REQ-C", "EB-REQ-S"}
	case LCM:
		if root.Tag == "RegistryResponse" {
			if len(children(root, "Exception")) > 0 || root.SelectAttrValue("status", "") == failure {
				return []string{"LCM-ERR"}
			}
			return []string{"LCM-SUC"}
		}
		if len(objectSlots(root, "DataServiceEvidenceType")) == 0 &&
			len(objectSlots(root, "Requirement", "EvidenceType", "EvidenceTypeList", "ReferenceFramework")) > 0 {
			return []string{"EB-SUB-C", "EB-SUB-S"}
		}
		return []string{"DSD-SUB-C", "DSD-SUB-S"}
	}
	return nil
}

// children returns the child elements of e with the local name tag.
func children(e *etree.Element, tag string) []*etree.Element {
	var out []*etree.Element
	for _, c := range e.ChildElements() {
		if c.Tag == tag {
			out = append(out, c)
		}
	}
	return out
}

// objectSlots returns the slots named one of names of the registry objects
// in root's RegistryObjectList.
func objectSlots(root *etree.Element, names ...string) []*etree.Element {
	var out []*etree.Element
	for _, list := range children(root, "RegistryObjectList") {
		for _, obj := range children(list, "RegistryObject") {
			for _, s := range children(obj, "Slot") {
				for _, n := range names {
					if s.SelectAttrValue("name", "") == n {
						out = append(out, s)
					}
				}
			}
		}
	}
	return out
}

func deepText(e *etree.Element) string {
	var b strings.Builder
	var walk func(*etree.Element)
	walk = func(e *etree.Element) {
		b.WriteString(e.Text())
		for _, c := range e.ChildElements() {
			walk(c)
			b.WriteString(c.Tail())
		}
	}
	walk(e)
	return b.String()
}
