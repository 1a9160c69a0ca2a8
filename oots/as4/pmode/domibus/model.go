package domibus

import "time"

// Namespace is the XML namespace of the Domibus configuration root.
const Namespace = "http://domibus.eu/configuration"

// File is a parsed Domibus P-Mode configuration. Names refer to each
// other as in the file; Parse has checked that every reference resolves.
type File struct {
	// Party is the name of the access point the file configures (@party).
	Party string

	MPCs            []MPC
	Roles           []NamedValue
	PartyIDTypes    []NamedValue
	Parties         []Party
	MEPs            []NamedValue
	Bindings        []NamedValue
	Properties      []Property
	PropertySets    []PropertySet
	Payloads        []Payload
	PayloadProfiles []PayloadProfile
	Securities      []Security
	ErrorHandlings  []ErrorHandling
	Agreements      []Agreement
	Services        []Service
	Actions         []NamedValue
	ReceptionAwares []ReceptionAwareness
	Reliabilities   []Reliability
	Splittings      []Splitting
	Legs            []Leg
	Processes       []Process
}

// NamedValue is the common shape of role, partyIdType, mep, binding and
// action entries: a local name and the value put on the wire.
type NamedValue struct{ Name, Value string }

// MPC is a message partition channel.
type MPC struct {
	Name, QualifiedName string
	Enabled, Default    bool
}

// Party is a partner access point: its identifiers (with the partyIdType
// already resolved to its value) and its endpoint.
type Party struct {
	Name, Endpoint string
	IDs            []PartyID
}

// PartyID is one identifier of a party.
type PartyID struct {
	Value string
	// TypeName is the partyIdType name in the file; Type its value.
	TypeName, Type string
}

// Property is a message property definition.
type Property struct {
	Name, Key, Datatype string
	Required            bool
}

// PropertySet groups property definitions by name.
type PropertySet struct {
	Name       string
	Properties []string
}

// Payload describes one expected payload part.
type Payload struct {
	Name, CID, MimeType, SchemaFile string
	InBody, Required                bool
	MaxSize                         int64
}

// PayloadProfile lists the payloads of a leg and bounds their total size.
type PayloadProfile struct {
	Name        string
	MaxSize     int64
	Attachments []string
}

// Security is a WS-Security setting: a WS-Policy file name (older
// Domibus) with its signature method, or a security profile (rsa, ecc).
type Security struct {
	Name, Policy, SignatureMethod, Profile string
}

// ErrorHandling says how errors are reported.
type ErrorHandling struct {
	Name                                                       string
	ErrorAsResponse, BusinessErrorNotifyProducer               bool
	BusinessErrorNotifyConsumer, DeliveryFailureNotifyProducer bool
}

// Agreement is an eb:AgreementRef value and type.
type Agreement struct{ Name, Value, Type string }

// Service is an eb:Service value and type.
type Service struct{ Name, Value, Type string }

// ReceptionAwareness is the retry and duplicate-detection setting. Retry
// is the raw "timeout;count;strategy" text; the other fields decode it.
type ReceptionAwareness struct {
	Name, Retry string
	// RetryTimeout is the whole window for retries (minutes in the file).
	RetryTimeout time.Duration
	// RetryCount is the number of retries within the window.
	RetryCount int
	// Strategy is CONSTANT, PROGRESSIVE or SEND_ONCE.
	Strategy           string
	DuplicateDetection bool
}

// Reliability is the receipt setting.
type Reliability struct {
	Name, ReplyPattern string
	NonRepudiation     bool
}

// Splitting is a large-message splitting setting (recorded, not used).
type Splitting struct {
	Name                       string
	FragmentSize, JoinInterval int
	Compression                bool
}

// Leg is a legConfiguration: a service and action with the settings
// that apply to them, each by name.
type Leg struct {
	Name, Service, Action, DefaultMPC, Reliability, Security       string
	ReceptionAwareness, PropertySet, PayloadProfile, ErrorHandling string
	Splitting                                                      string
	CompressPayloads                                               bool
}

// Process binds legs to an agreement, MEP, binding, roles and the
// parties that may initiate and respond.
type Process struct {
	Name, Agreement, MEP, Binding, InitiatorRole, ResponderRole string
	InitiatorParties, ResponderParties, Legs                    []string
}
