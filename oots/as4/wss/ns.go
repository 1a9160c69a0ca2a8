package wss

// Namespaces of the elements this package reads and writes.
const (
	NSSoap12  = "http://www.w3.org/2003/05/soap-envelope"                                            // SOAP 1.2 envelope
	NSEbms    = "http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/"                     // ebMS3 header (eb:Messaging)
	NSWsse    = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"  // WS-Security 1.0 (wsse:)
	NSWsse11  = "http://docs.oasis-open.org/wss/oasis-wss-wssecurity-secext-1.1.xsd"                 // WS-Security 1.1 (wsse11:TokenType)
	NSWsu     = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd" // wsu:Id
	NSDsig    = "http://www.w3.org/2000/09/xmldsig#"                                                 // XML Signature (ds:)
	NSXenc    = "http://www.w3.org/2001/04/xmlenc#"                                                  // XML Encryption (xenc:)
	NSXenc11  = "http://www.w3.org/2009/xmlenc11#"                                                   // XML Encryption 1.1 (xenc11:MGF)
	NSExcC14N = "http://www.w3.org/2001/10/xml-exc-c14n#"                                            // ec:InclusiveNamespaces
)

// Algorithm URIs. The allowed ones are those of the eDelivery AS4 profile
// and their longer-hash variants; the SHA-1, CBC and RSA-OAEP-MGF1P ones
// are named so that tests and error messages can refer to what is refused.
const (
	AlgExcC14N      = "http://www.w3.org/2001/10/xml-exc-c14n#"           // exclusive c14n without comments
	AlgRSASHA256    = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" // AS4 signature algorithm
	AlgRSASHA384    = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384" // accepted signature algorithm
	AlgRSASHA512    = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512" // accepted signature algorithm
	AlgRSASHA1      = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"        // refused signature algorithm
	AlgSHA256       = "http://www.w3.org/2001/04/xmlenc#sha256"           // AS4 digest algorithm
	AlgSHA384       = "http://www.w3.org/2001/04/xmldsig-more#sha384"     // accepted digest algorithm
	AlgSHA512       = "http://www.w3.org/2001/04/xmlenc#sha512"           // accepted digest algorithm
	AlgSHA1         = "http://www.w3.org/2000/09/xmldsig#sha1"            // refused digest algorithm
	AlgAES128GCM    = "http://www.w3.org/2009/xmlenc11#aes128-gcm"        // AS4 data encryption
	AlgAES256GCM    = "http://www.w3.org/2009/xmlenc11#aes256-gcm"        // accepted data encryption
	AlgAES128CBC    = "http://www.w3.org/2001/04/xmlenc#aes128-cbc"       // refused data encryption
	AlgRSAOAEP      = "http://www.w3.org/2009/xmlenc11#rsa-oaep"          // AS4 key transport (with DigestMethod and MGF)
	AlgRSAOAEPMGF1P = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p"   // refused key transport (MGF1-SHA-1)
	AlgMGF1SHA256   = "http://www.w3.org/2009/xmlenc11#mgf1sha256"        // AS4 OAEP mask generation

	swaProfile = "http://docs.oasis-open.org/wss/oasis-wss-SwAProfile-1.1"

	// AlgAttachmentContentSig is the SwA transform of signed attachments.
	AlgAttachmentContentSig = swaProfile + "#Attachment-Content-Signature-Transform"
	// AlgAttachmentCiphertext is the SwA transform of encrypted attachments.
	AlgAttachmentCiphertext = swaProfile + "#Attachment-Ciphertext-Transform"
	// TypeAttachmentContent is the xenc:EncryptedData Type of an attachment
	// whose content only (not its MIME headers) is encrypted.
	TypeAttachmentContent = swaProfile + "#Attachment-Content-Only"
)

// WS-Security token profile URIs.
const (
	ValueTypeX509v3 = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3"                   // X.509 token
	ValueTypeSKI    = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509SubjectKeyIdentifier" // key identifier by SKI
	EncodingBase64  = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"          // token encoding
	TokenTypeEncKey = "http://docs.oasis-open.org/wss/oasis-wss-soap-message-security-1.1#EncryptedKey"                         // reference to an EncryptedKey
)
