package as4

import (
	"github.com/beevik/etree"
)

// Element returns the eb:Messaging element for m, with S12:mustUnderstand
// and the wsu:Id "messaging" that the signature references.
func (m *Messaging) Element() *etree.Element {
	root := etree.NewElement("eb:Messaging")
	root.CreateAttr("xmlns:eb", NSEbMS)
	root.CreateAttr("xmlns:wsu", NSWSU)
	root.CreateAttr("env:mustUnderstand", "true")
	root.CreateAttr("wsu:Id", "_messaging")
	for _, s := range m.Signals {
		s.appendTo(root)
	}
	if m.User != nil {
		m.User.appendTo(root)
	}
	return root
}

func (u *UserMessage) appendTo(parent *etree.Element) {
	um := parent.CreateElement("eb:UserMessage")
	if u.MPC != "" && u.MPC != DefaultMPC {
		um.CreateAttr("mpc", u.MPC)
	}
	appendMessageInfo(um, u.Timestamp.UTC().Format(timestampFormat), u.MessageID, u.RefToMessageID)

	pi := um.CreateElement("eb:PartyInfo")
	appendParty(pi.CreateElement("eb:From"), u.From)
	appendParty(pi.CreateElement("eb:To"), u.To)

	ci := um.CreateElement("eb:CollaborationInfo")
	if u.Agreement != "" {
		ar := ci.CreateElement("eb:AgreementRef")
		if u.AgreementType != "" {
			ar.CreateAttr("type", u.AgreementType)
		}
		if u.PModeID != "" {
			ar.CreateAttr("pmode", u.PModeID)
		}
		ar.SetText(u.Agreement)
	}
	svc := ci.CreateElement("eb:Service")
	if u.ServiceType != "" {
		svc.CreateAttr("type", u.ServiceType)
	}
	svc.SetText(u.Service)
	ci.CreateElement("eb:Action").SetText(u.Action)
	ci.CreateElement("eb:ConversationId").SetText(u.ConversationID)

	if len(u.Properties) > 0 {
		appendProperties(um.CreateElement("eb:MessageProperties"), u.Properties)
	}
	if len(u.Parts) > 0 {
		pl := um.CreateElement("eb:PayloadInfo")
		for _, p := range u.Parts {
			part := pl.CreateElement("eb:PartInfo")
			if p.Href != "" {
				part.CreateAttr("href", p.Href)
			}
			if len(p.Properties) > 0 {
				appendProperties(part.CreateElement("eb:PartProperties"), p.Properties)
			}
		}
	}
}

func appendMessageInfo(parent *etree.Element, ts, id, ref string) {
	mi := parent.CreateElement("eb:MessageInfo")
	mi.CreateElement("eb:Timestamp").SetText(ts)
	mi.CreateElement("eb:MessageId").SetText(id)
	if ref != "" {
		mi.CreateElement("eb:RefToMessageId").SetText(ref)
	}
}

func appendParty(e *etree.Element, p Party) {
	for _, id := range p.IDs {
		pe := e.CreateElement("eb:PartyId")
		if id.Type != "" {
			pe.CreateAttr("type", id.Type)
		}
		pe.SetText(id.Value)
	}
	role := p.Role
	if role == "" {
		role = DefaultRole
	}
	e.CreateElement("eb:Role").SetText(role)
}

func appendProperties(parent *etree.Element, props []Property) {
	for _, p := range props {
		pe := parent.CreateElement("eb:Property")
		pe.CreateAttr("name", p.Name)
		if p.Type != "" {
			pe.CreateAttr("type", p.Type)
		}
		pe.SetText(p.Value)
	}
}

func (s *SignalMessage) appendTo(parent *etree.Element) {
	sm := parent.CreateElement("eb:SignalMessage")
	appendMessageInfo(sm, s.Timestamp.UTC().Format(timestampFormat), s.MessageID, s.RefToMessageID)
	if r := s.Receipt; r != nil {
		rc := sm.CreateElement("eb:Receipt")
		if len(r.References) > 0 {
			nri := rc.CreateElement("ebbp:NonRepudiationInformation")
			nri.CreateAttr("xmlns:ebbp", NSEbbp)
			for _, ref := range r.References {
				mp := nri.CreateElement("ebbp:MessagePartNRInformation")
				mp.AddChild(detachedCopy(ref, NSDSig))
			}
		} else if r.UserMessage != nil {
			rc.AddChild(r.UserMessage.Copy())
		}
	}
	for _, e := range s.Errors {
		e.appendTo(sm)
	}
}

// NewEnvelope returns a SOAP 1.2 envelope with m as its eb:Messaging header
// and an empty body (payloads travel as MIME attachments). The body carries
// wsu:Id "body" for the signature.
func NewEnvelope(m *Messaging) *etree.Document {
	doc := etree.NewDocument()
	env := doc.CreateElement("env:Envelope")
	env.CreateAttr("xmlns:env", NSSOAP12)
	hdr := env.CreateElement("env:Header")
	hdr.AddChild(m.Element())
	body := env.CreateElement("env:Body")
	body.CreateAttr("xmlns:wsu", NSWSU)
	body.CreateAttr("wsu:Id", "_body")
	return doc
}

// detachedCopy copies e and declares its own namespace on the copy, so that
// it keeps its meaning when moved out of the tree that declared the prefix.
func detachedCopy(e *etree.Element, fallbackNS string) *etree.Element {
	ns := e.NamespaceURI()
	if ns == "" {
		ns = fallbackNS
	}
	c := e.Copy()
	key := "xmlns"
	if c.Space != "" {
		key += ":" + c.Space
	}
	if c.SelectAttr(key) == nil {
		c.CreateAttr(key, ns)
	}
	return c
}

func (e *Error) appendTo(parent *etree.Element) {
	el := parent.CreateElement("eb:Error")
	el.CreateAttr("errorCode", e.Code)
	sev := e.Severity
	if sev == "" {
		sev = "failure"
	}
	el.CreateAttr("severity", sev)
	if e.Category != "" {
		el.CreateAttr("category", e.Category)
	}
	if e.Origin != "" {
		el.CreateAttr("origin", e.Origin)
	}
	if e.ShortDescription != "" {
		el.CreateAttr("shortDescription", e.ShortDescription)
	}
	if e.RefToMessageInError != "" {
		el.CreateAttr("refToMessageInError", e.RefToMessageInError)
	}
	if e.Description != "" {
		d := el.CreateElement("eb:Description")
		d.CreateAttr("xml:lang", "en")
		d.SetText(e.Description)
	}
	if e.Detail != "" {
		el.CreateElement("eb:ErrorDetail").SetText(e.Detail)
	}
}
