package pmode

import (
	"crypto/x509"
	"time"
)

// PartyID is one eb:PartyId of a party with its @type (empty when the
// identifier carries no type).
type PartyID struct {
	Value string `json:"value"`
	Type  string `json:"type,omitempty"`
}

// Party is an ebMS partner: its identifiers, its access-point endpoints and
// the certificate it signs with and receives encrypted messages for.
type Party struct {
	// Name is the local name of the party, unique within a Config.
	Name string
	// IDs are the eb:PartyId values the party is known by; the first is
	// the one put into outgoing messages.
	IDs []PartyID
	// Endpoints are the party's access-point URLs, ordered: the primary
	// access point first, the failover access points after it.
	Endpoints []string
	// Cert is the party's signing and encryption certificate, loaded from
	// a store or a file; nil when none is configured.
	Cert *x509.Certificate
}

// PartyRef names a party of a P-Mode and the eb:Role it plays there.
type PartyRef struct {
	Party string `json:"party"`
	Role  string `json:"role"`
}

// Leg is one business activity a P-Mode carries: the eb:Service (with its
// @type) and the eb:Action.
type Leg struct {
	Service     string `json:"service"`
	ServiceType string `json:"serviceType,omitempty"`
	Action      string `json:"action"`
}

// Security holds the WS-Security settings of a P-Mode; algorithms are
// given as their XML Signature / XML Encryption URIs.
type Security struct {
	// Sign and Encrypt say whether user messages are signed and encrypted.
	Sign    bool `json:"sign"`
	Encrypt bool `json:"encrypt"`
	// SignatureAlgorithm is the ds:SignatureMethod (RSA-SHA256).
	SignatureAlgorithm string `json:"signatureAlgorithm,omitempty"`
	// DigestAlgorithm is the ds:DigestMethod (SHA-256).
	DigestAlgorithm string `json:"digestAlgorithm,omitempty"`
	// DataEncryptionAlgorithm encrypts the payloads (AES-128-GCM).
	DataEncryptionAlgorithm string `json:"dataEncryptionAlgorithm,omitempty"`
	// KeyTransportAlgorithm wraps the content key (RSA-OAEP, XML Enc 1.1).
	KeyTransportAlgorithm string `json:"keyTransportAlgorithm,omitempty"`
	// KeyTransportDigest is the OAEP digest (SHA-256).
	KeyTransportDigest string `json:"keyTransportDigest,omitempty"`
	// KeyTransportMGF is the OAEP mask generation function (MGF1-SHA-256).
	KeyTransportMGF string `json:"keyTransportMGF,omitempty"`
	// SendReceipt asks the receiver for an eb:Receipt signal.
	SendReceipt bool `json:"sendReceipt"`
	// NonRepudiation asks for receipts carrying ebbp:NonRepudiationInformation.
	NonRepudiation bool `json:"nonRepudiation"`
	// KeyInfo is how our xenc:EncryptedKey names the recipient's
	// certificate: KeyInfoIssuerSerial (empty means it), KeyInfoSKI or
	// KeyInfoBST, as the partner's access point expects.
	KeyInfo string `json:"keyInfo,omitempty"`
	// SignTimestamp adds a wsu:Timestamp to the security header and signs
	// it with the message, for partners whose policy asks for one.
	SignTimestamp bool `json:"signTimestamp,omitempty"`
}

// Reliability holds the reception-awareness settings of a P-Mode:
// retries, receipt time-out and duplicate detection.
type Reliability struct {
	// RetryCount is how many times a message is sent again after the
	// first attempt failed or went unacknowledged.
	RetryCount int
	// RetryInterval is the wait before the first retry.
	RetryInterval time.Duration
	// BackoffFactor multiplies the interval after each retry (1 = constant).
	BackoffFactor float64
	// ReceiptTimeout is how long a sender waits for a receipt.
	ReceiptTimeout time.Duration
	// DuplicateDetection makes the receiver drop messages whose
	// eb:MessageId it has seen before.
	DuplicateDetection bool
}

// PMode is one processing mode: the agreement, the two parties, the legs
// (service and action pairs) and the settings that apply to them.
type PMode struct {
	// ID is the P-Mode identifier (eb:AgreementRef/@pmode).
	ID string
	// Agreement and AgreementType are eb:AgreementRef and its @type.
	Agreement, AgreementType string
	// MEP and MEPBinding are the message exchange pattern URIs (one-way,
	// push by default).
	MEP, MEPBinding string
	// Initiator sends the user messages; Responder receives them.
	Initiator, Responder PartyRef
	// Legs are the service and action pairs this P-Mode carries.
	Legs []Leg
	// Security and Reliability apply to every leg.
	Security    Security
	Reliability Reliability
	// Compress says whether payloads are gzip-compressed (AS4 compression).
	Compress bool
	// MaxPayloadSize limits the payloads of one message in bytes: all of
	// them as received, and each after decompression. 0 takes the
	// receiver's default (as4.DefaultMaxPayloads); a sender refuses a
	// payload larger than a non-zero limit.
	MaxPayloadSize int64
}

// Config is a complete P-Mode configuration: which party we are, the
// parties we know, and the P-Modes between them.
type Config struct {
	// Self is the name of our own party in Parties.
	Self string
	// Parties maps party names to parties.
	Parties map[string]*Party
	// PModes are the processing modes, in configuration order.
	PModes []*PMode
}

// The forms of an EncryptedKey's KeyInfo (Security.KeyInfo).
const (
	KeyInfoIssuerSerial = "issuerSerial" // ds:X509IssuerSerial
	KeyInfoSKI          = "ski"          // wsse:KeyIdentifier of type X509SubjectKeyIdentifier
	KeyInfoBST          = "bst"          // wsse:Reference to a wsse:BinarySecurityToken
)
