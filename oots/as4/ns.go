package as4

// XML namespaces of the messages this package builds and reads.
const (
	NSSOAP12 = "http://www.w3.org/2003/05/soap-envelope"
	NSEbMS   = "http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/"
	NSEbbp   = "http://docs.oasis-open.org/ebxml-bp/ebbp-signals-2.0"
	NSWSU    = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
	NSWSSE   = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
	NSDSig   = "http://www.w3.org/2000/09/xmldsig#"
)

// Values fixed by ebMS3 and the eDelivery AS4 profile.
const (
	// DefaultMPC is the default message partition channel.
	DefaultMPC = "http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/defaultMPC"
	// DefaultRole is the role used when a P-Mode names none.
	DefaultRole = "http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/defaultRole"
	// OneWayPush is the MEP binding AS4 uses.
	OneWayPush = "http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/push"
	// OneWay is the one-way MEP.
	OneWay = "http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/oneWay"
	// GatewayRole is the OOTS access-point role.
	GatewayRole = "http://sdg.europa.eu/edelivery/gateway"
	// OOTSService is the OOTS service name and ServiceType its type.
	OOTSService     = "QueryManager"
	OOTSServiceType = "urn:oasis:names:tc:ebcore:ebrs:ebms:binding:1.0"
	// OOTS actions.
	ActionQueryRequest      = "ExecuteQueryRequest"
	ActionQueryResponse     = "ExecuteQueryResponse"
	ActionExceptionResponse = "ExceptionResponse"
	// PartyIDTypeOOTS is the party-id type of OOTS access points.
	PartyIDTypeOOTS = "urn:oasis:names:tc:ebcore:partyid-type:unregistered:oots"
	// MimeEbRS is the MIME type of OOTS RegRep payloads.
	MimeEbRS = "application/x-ebrs+xml"
	// MimeGzip is the MIME type of a compressed AS4 payload.
	MimeGzip = "application/gzip"
	// MimeSOAP12 is the MIME type of the SOAP part.
	MimeSOAP12 = "application/soap+xml"
)

// Names of well-known message and part properties.
const (
	PropOriginalSender  = "originalSender"
	PropFinalRecipient  = "finalRecipient"
	PartPropMimeType    = "MimeType"
	PartPropCompression = "CompressionType"
	PartPropCharset     = "CharacterSet"
)
