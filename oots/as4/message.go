package as4

import (
	"time"

	"github.com/beevik/etree"
)

// PartyID is one eb:PartyId with its optional @type.
type PartyID struct {
	Value string
	Type  string
}

// Party is eb:From or eb:To: the party identifiers and the role.
type Party struct {
	IDs  []PartyID
	Role string
}

// Property is an eb:Property of MessageProperties or PartProperties.
type Property struct {
	Name  string
	Type  string
	Value string
}

// PartInfo is an eb:PartInfo: the reference to a payload and its properties.
type PartInfo struct {
	Href       string // "cid:..." for a MIME attachment
	Properties []Property
}

// ContentID returns the Content-ID of the part without the "cid:" prefix,
// or "" when Href does not reference an attachment.
func (p PartInfo) ContentID() string {
	if len(p.Href) > 4 && p.Href[:4] == "cid:" {
		return p.Href[4:]
	}
	return ""
}

// Property returns the value of the named property, or "".
func (p PartInfo) Property(name string) string { return findProp(p.Properties, name) }

// UserMessage is the eb:UserMessage header of a business message.
type UserMessage struct {
	MessageID      string
	RefToMessageID string
	Timestamp      time.Time
	MPC            string // omitted when empty or the default MPC
	From, To       Party
	Agreement      string // eb:AgreementRef; omitted when empty
	AgreementType  string
	PModeID        string // @pmode of eb:AgreementRef
	Service        string
	ServiceType    string
	Action         string
	ConversationID string
	Properties     []Property
	Parts          []PartInfo
}

// Property returns the value of the named message property, or "".
func (u *UserMessage) Property(name string) string { return findProp(u.Properties, name) }

// Receipt is the content of an eb:Receipt signal. References holds the
// ds:Reference elements of the acknowledged message's signature
// (non-repudiation of receipt); UserMessage is used instead when the
// message was not signed (reception awareness only).
type Receipt struct {
	References  []*etree.Element
	UserMessage *etree.Element
}

// SignalMessage is an eb:SignalMessage: a receipt or one or more errors.
type SignalMessage struct {
	MessageID      string
	RefToMessageID string
	Timestamp      time.Time
	Receipt        *Receipt
	Errors         []*Error
}

// Messaging is the eb:Messaging SOAP header: one user message and/or signals.
type Messaging struct {
	User    *UserMessage
	Signals []*SignalMessage
}

func findProp(props []Property, name string) string {
	for _, p := range props {
		if p.Name == name {
			return p.Value
		}
	}
	return ""
}

// timestampFormat is the eb:Timestamp layout: UTC with milliseconds.
const timestampFormat = "2006-01-02T15:04:05.000Z07:00"
