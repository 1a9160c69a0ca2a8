package as4

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/beevik/etree"
)

// maxHeaderItems bounds repeated header elements (party ids, properties,
// parts, errors) so a hostile header cannot make the model huge.
const maxHeaderItems = 256

// Envelope returns the parts of a SOAP 1.2 envelope: the header and body.
// It fails when the root is not a SOAP 1.2 Envelope (SOAP 1.1 included:
// AS4 uses SOAP 1.2 only).
func Envelope(doc *etree.Document) (header, body *etree.Element, err error) {
	root := doc.Root()
	if root == nil || root.Tag != "Envelope" || root.NamespaceURI() != NSSOAP12 {
		return nil, nil, ErrInvalidHeader.Withf("", "root element is not a SOAP 1.2 Envelope")
	}
	for _, c := range root.ChildElements() {
		if c.NamespaceURI() != NSSOAP12 {
			return nil, nil, ErrInvalidHeader.Withf("", "unexpected element %s in Envelope", c.FullTag())
		}
		switch c.Tag {
		case "Header":
			if header != nil {
				return nil, nil, ErrInvalidHeader.Withf("", "two SOAP Header elements")
			}
			header = c
		case "Body":
			if body != nil {
				return nil, nil, ErrInvalidHeader.Withf("", "two SOAP Body elements")
			}
			body = c
		default:
			return nil, nil, ErrInvalidHeader.Withf("", "unexpected element %s in Envelope", c.FullTag())
		}
	}
	if header == nil {
		return nil, nil, ErrInvalidHeader.Withf("", "SOAP Header missing")
	}
	if body == nil {
		return nil, nil, ErrInvalidHeader.Withf("", "SOAP Body missing")
	}
	return header, body, nil
}

// MessagingElement returns the single eb:Messaging header of a SOAP 1.2
// envelope.
func MessagingElement(doc *etree.Document) (*etree.Element, error) {
	header, _, err := Envelope(doc)
	if err != nil {
		return nil, err
	}
	var found *etree.Element
	for _, c := range header.ChildElements() {
		if c.Tag == "Messaging" && c.NamespaceURI() == NSEbMS {
			if found != nil {
				return nil, ErrInvalidHeader.Withf("", "more than one eb:Messaging header")
			}
			found = c
		}
	}
	if found == nil {
		return nil, ErrInvalidHeader.Withf("", "eb:Messaging header missing")
	}
	return found, nil
}

// ParseEnvelope reads the eb:Messaging header of a SOAP 1.2 envelope.
func ParseEnvelope(doc *etree.Document) (*Messaging, error) {
	el, err := MessagingElement(doc)
	if err != nil {
		return nil, err
	}
	return ParseMessaging(el)
}

// ParseMessaging reads an eb:Messaging element. Structural errors are
// EBMS:0009 InvalidHeader errors naming the element at fault.
func ParseMessaging(el *etree.Element) (*Messaging, error) {
	if el.Tag != "Messaging" || el.NamespaceURI() != NSEbMS {
		return nil, ErrInvalidHeader.Withf("", "expected eb:Messaging, got %s", el.FullTag())
	}
	m := &Messaging{}
	for _, c := range el.ChildElements() {
		if c.NamespaceURI() != NSEbMS {
			continue // extension elements are allowed by the schema
		}
		switch c.Tag {
		case "UserMessage":
			if m.User != nil {
				return nil, ErrFeatureNotSupported.Withf(m.User.MessageID, "more than one eb:UserMessage (bundling is not supported by AS4)")
			}
			u, err := parseUserMessage(c)
			if err != nil {
				return nil, err
			}
			m.User = u
		case "SignalMessage":
			if len(m.Signals) >= maxHeaderItems {
				return nil, ErrInvalidHeader.Withf("", "too many eb:SignalMessage elements")
			}
			s, err := parseSignal(c)
			if err != nil {
				return nil, err
			}
			m.Signals = append(m.Signals, s)
		default:
			return nil, ErrInvalidHeader.Withf("", "unexpected element eb:%s in eb:Messaging", c.Tag)
		}
	}
	if m.User == nil && len(m.Signals) == 0 {
		return nil, ErrInvalidHeader.Withf("", "eb:Messaging holds neither a UserMessage nor a SignalMessage")
	}
	return m, nil
}

// ebChild returns the only child eb:tag of e, nil when absent, or an error
// when it appears more than once.
func ebChild(e *etree.Element, tag string) (*etree.Element, error) {
	var found *etree.Element
	for _, c := range e.ChildElements() {
		if c.Tag == tag && c.NamespaceURI() == NSEbMS {
			if found != nil {
				return nil, fmt.Errorf("eb:%s appears more than once in eb:%s", tag, e.Tag)
			}
			found = c
		}
	}
	return found, nil
}

// ebChildren returns all child eb:tag elements, at most maxHeaderItems.
func ebChildren(e *etree.Element, tag string) ([]*etree.Element, error) {
	var out []*etree.Element
	for _, c := range e.ChildElements() {
		if c.Tag == tag && c.NamespaceURI() == NSEbMS {
			if len(out) == maxHeaderItems {
				return nil, fmt.Errorf("more than %d eb:%s in eb:%s", maxHeaderItems, tag, e.Tag)
			}
			out = append(out, c)
		}
	}
	return out, nil
}

// requiredText returns the trimmed text of the only child eb:tag of e.
func requiredText(e *etree.Element, tag string) (string, error) {
	c, err := ebChild(e, tag)
	if err != nil {
		return "", err
	}
	if c == nil {
		return "", fmt.Errorf("eb:%s missing in eb:%s", tag, e.Tag)
	}
	v := strings.TrimSpace(c.Text())
	if v == "" {
		return "", fmt.Errorf("eb:%s in eb:%s is empty", tag, e.Tag)
	}
	return v, nil
}

func optionalText(e *etree.Element, tag string) (string, error) {
	c, err := ebChild(e, tag)
	if err != nil || c == nil {
		return "", err
	}
	return strings.TrimSpace(c.Text()), nil
}

type messageInfo struct {
	id, ref string
	ts      time.Time
}

func parseMessageInfo(parent *etree.Element) (messageInfo, error) {
	var mi messageInfo
	e, err := ebChild(parent, "MessageInfo")
	if err != nil {
		return mi, err
	}
	if e == nil {
		return mi, fmt.Errorf("eb:MessageInfo missing in eb:%s", parent.Tag)
	}
	if mi.id, err = requiredText(e, "MessageId"); err != nil {
		return mi, err
	}
	if err := checkMessageID(mi.id); err != nil {
		return mi, fmt.Errorf("eb:MessageId: %w", err)
	}
	if mi.ref, err = optionalText(e, "RefToMessageId"); err != nil {
		return mi, err
	}
	ts, err := requiredText(e, "Timestamp")
	if err != nil {
		return mi, err
	}
	if mi.ts, err = parseTimestamp(ts); err != nil {
		return mi, fmt.Errorf("eb:Timestamp %q: %w", ts, err)
	}
	return mi, nil
}

// checkMessageID applies the rules of RFC 2822 msg-id without brackets
// loosely: not too long, no whitespace, no angle brackets.
func checkMessageID(id string) error {
	if len(id) > 255 {
		return errors.New("longer than 255 characters")
	}
	if strings.ContainsAny(id, " \t\r\n<>") {
		return errors.New("contains whitespace or angle brackets")
	}
	return nil
}

// parseTimestamp accepts xsd:dateTime with or without zone (taken as UTC).
func parseTimestamp(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errors.New("not an xsd:dateTime")
}

func parseUserMessage(e *etree.Element) (*UserMessage, error) {
	u := &UserMessage{MPC: e.SelectAttrValue("mpc", DefaultMPC)}
	mi, err := parseMessageInfo(e)
	if err != nil {
		return nil, ErrInvalidHeader.With("", err)
	}
	u.MessageID, u.RefToMessageID, u.Timestamp = mi.id, mi.ref, mi.ts
	fail := func(err error) (*UserMessage, error) { return nil, ErrInvalidHeader.With(u.MessageID, err) }

	pi, err := ebChild(e, "PartyInfo")
	if err != nil {
		return fail(err)
	}
	if pi == nil {
		return fail(errors.New("eb:PartyInfo missing"))
	}
	if u.From, err = parseParty(pi, "From"); err != nil {
		return fail(err)
	}
	if u.To, err = parseParty(pi, "To"); err != nil {
		return fail(err)
	}

	ci, err := ebChild(e, "CollaborationInfo")
	if err != nil {
		return fail(err)
	}
	if ci == nil {
		return fail(errors.New("eb:CollaborationInfo missing"))
	}
	if ar, err := ebChild(ci, "AgreementRef"); err != nil {
		return fail(err)
	} else if ar != nil {
		u.Agreement = strings.TrimSpace(ar.Text())
		u.AgreementType = ar.SelectAttrValue("type", "")
		u.PModeID = ar.SelectAttrValue("pmode", "")
	}
	svc, err := ebChild(ci, "Service")
	if err != nil {
		return fail(err)
	}
	if svc == nil || strings.TrimSpace(svc.Text()) == "" {
		return fail(errors.New("eb:Service missing or empty in eb:CollaborationInfo"))
	}
	u.Service, u.ServiceType = strings.TrimSpace(svc.Text()), svc.SelectAttrValue("type", "")
	if u.Action, err = requiredText(ci, "Action"); err != nil {
		return fail(err)
	}
	if u.ConversationID, err = requiredText(ci, "ConversationId"); err != nil {
		return fail(err)
	}

	if mp, err := ebChild(e, "MessageProperties"); err != nil {
		return fail(err)
	} else if mp != nil {
		if u.Properties, err = parseProperties(mp); err != nil {
			return fail(err)
		}
	}
	pl, err := ebChild(e, "PayloadInfo")
	if err != nil {
		return fail(err)
	}
	if pl != nil {
		parts, err := ebChildren(pl, "PartInfo")
		if err != nil {
			return fail(err)
		}
		seen := map[string]bool{}
		for _, p := range parts {
			info := PartInfo{Href: p.SelectAttrValue("href", "")}
			if info.Href != "" && info.ContentID() == "" {
				return fail(fmt.Errorf("eb:PartInfo href %q: only cid: references to MIME attachments are supported", info.Href))
			}
			if info.Href == "" {
				return fail(errors.New("eb:PartInfo without href: payloads in the SOAP Body are not used by AS4"))
			}
			if seen[info.Href] {
				return fail(fmt.Errorf("eb:PartInfo href %q appears twice", info.Href))
			}
			seen[info.Href] = true
			if pp, err := ebChild(p, "PartProperties"); err != nil {
				return fail(err)
			} else if pp != nil {
				if info.Properties, err = parseProperties(pp); err != nil {
					return fail(err)
				}
			}
			u.Parts = append(u.Parts, info)
		}
	}
	return u, nil
}

func parseParty(pi *etree.Element, tag string) (Party, error) {
	var p Party
	e, err := ebChild(pi, tag)
	if err != nil {
		return p, err
	}
	if e == nil {
		return p, fmt.Errorf("eb:%s missing in eb:PartyInfo", tag)
	}
	ids, err := ebChildren(e, "PartyId")
	if err != nil {
		return p, err
	}
	if len(ids) == 0 {
		return p, fmt.Errorf("eb:%s has no eb:PartyId", tag)
	}
	for _, id := range ids {
		v := strings.TrimSpace(id.Text())
		if v == "" {
			return p, fmt.Errorf("empty eb:PartyId in eb:%s", tag)
		}
		p.IDs = append(p.IDs, PartyID{Value: v, Type: id.SelectAttrValue("type", "")})
	}
	if p.Role, err = requiredText(e, "Role"); err != nil {
		return p, err
	}
	return p, nil
}

func parseProperties(e *etree.Element) ([]Property, error) {
	props, err := ebChildren(e, "Property")
	if err != nil {
		return nil, err
	}
	out := make([]Property, 0, len(props))
	for _, p := range props {
		name := p.SelectAttrValue("name", "")
		if name == "" {
			return nil, fmt.Errorf("eb:Property without name in eb:%s", e.Tag)
		}
		out = append(out, Property{Name: name, Type: p.SelectAttrValue("type", ""), Value: strings.TrimSpace(p.Text())})
	}
	return out, nil
}

func parseSignal(e *etree.Element) (*SignalMessage, error) {
	mi, err := parseMessageInfo(e)
	if err != nil {
		return nil, ErrInvalidHeader.With("", err)
	}
	s := &SignalMessage{MessageID: mi.id, RefToMessageID: mi.ref, Timestamp: mi.ts}
	fail := func(err error) (*SignalMessage, error) { return nil, ErrInvalidHeader.With(s.MessageID, err) }
	rc, err := ebChild(e, "Receipt")
	if err != nil {
		return fail(err)
	}
	if rc != nil {
		s.Receipt = &Receipt{}
		for _, c := range rc.ChildElements() {
			switch {
			case c.Tag == "NonRepudiationInformation" && c.NamespaceURI() == NSEbbp:
				for _, mp := range c.ChildElements() {
					if mp.Tag != "MessagePartNRInformation" || mp.NamespaceURI() != NSEbbp {
						continue
					}
					for _, ref := range mp.ChildElements() {
						if ref.Tag == "Reference" && ref.NamespaceURI() == NSDSig {
							if len(s.Receipt.References) == maxHeaderItems {
								return fail(errors.New("too many ds:Reference elements in eb:Receipt"))
							}
							s.Receipt.References = append(s.Receipt.References, ref)
						}
					}
				}
			case c.Tag == "UserMessage" && c.NamespaceURI() == NSEbMS:
				s.Receipt.UserMessage = c
			}
		}
	}
	errs, err := ebChildren(e, "Error")
	if err != nil {
		return fail(err)
	}
	for _, ee := range errs {
		er := &Error{
			Code:                ee.SelectAttrValue("errorCode", ""),
			Severity:            ee.SelectAttrValue("severity", ""),
			Category:            ee.SelectAttrValue("category", ""),
			Origin:              ee.SelectAttrValue("origin", ""),
			ShortDescription:    ee.SelectAttrValue("shortDescription", ""),
			RefToMessageInError: ee.SelectAttrValue("refToMessageInError", ""),
		}
		if er.Code == "" {
			return fail(errors.New("eb:Error without errorCode"))
		}
		if er.Severity != "failure" && er.Severity != "warning" {
			return fail(fmt.Errorf("eb:Error severity %q is neither failure nor warning", er.Severity))
		}
		if d, _ := ebChild(ee, "Description"); d != nil {
			er.Description = strings.TrimSpace(d.Text())
		}
		if d, _ := ebChild(ee, "ErrorDetail"); d != nil {
			er.Detail = strings.TrimSpace(d.Text())
		}
		s.Errors = append(s.Errors, er)
	}
	if s.Receipt == nil && len(s.Errors) == 0 {
		if pr, _ := ebChild(e, "PullRequest"); pr != nil {
			return nil, ErrFeatureNotSupported.Withf(s.MessageID, "eb:PullRequest: only one-way push is supported")
		}
		return fail(errors.New("eb:SignalMessage holds neither eb:Receipt nor eb:Error"))
	}
	return s, nil
}
