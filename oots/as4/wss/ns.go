package wss

// Namespaces of the elements this package reads and writes.
const (
	NSSoap12  = "http://www.w3.org/2003/05/soap-envelope"
	NSEbms    = "http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/"
	NSWsse    = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
	NSWsse11  = "http://docs.oasis-open.org/wss/oasis-wss-wssecurity-secext-1.1.xsd"
	NSWsu     = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
	NSDsig    = "http://www.w3.org/2000/09/xmldsig#"
	NSXenc    = "http://www.w3.org/2001/04/xmlenc#"
	NSXenc11  = "http://www.w3.org/2009/xmlenc11#"
	NSExcC14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
)

// Algorithm and type URIs of the AS4 profile.
const (
	AlgExcC14N      = "http://www.w3.org/2001/10/xml-exc-c14n#"
	AlgRSASHA256    = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
	AlgRSASHA384    = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384"
	AlgRSASHA512    = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512"
	AlgRSASHA1      = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
	AlgSHA256       = "http://www.w3.org/2001/04/xmlenc#sha256"
	AlgSHA384       = "http://www.w3.org/2001/04/xmldsig-more#sha384"
	AlgSHA512       = "http://www.w3.org/2001/04/xmlenc#sha512"
	AlgSHA1         = "http://www.w3.org/2000/09/xmldsig#sha1"
	AlgAES128GCM    = "http://www.w3.org/2009/xmlenc11#aes128-gcm"
	AlgAES256GCM    = "http://www.w3.org/2009/xmlenc11#aes256-gcm"
	AlgAES128CBC    = "http://www.w3.org/2001/04/xmlenc#aes128-cbc"
	AlgRSAOAEP      = "http://www.w3.org/2009/xmlenc11#rsa-oaep"
	AlgRSAOAEPMGF1P = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p"
	AlgMGF1SHA256   = "http://www.w3.org/2009/xmlenc11#mgf1sha256"

	swaProfile              = "http://docs.oasis-open.org/wss/oasis-wss-SwAProfile-1.1"
	AlgAttachmentContentSig = swaProfile + "#Attachment-Content-Signature-Transform"
	AlgAttachmentCiphertext = swaProfile + "#Attachment-Ciphertext-Transform"
	TypeAttachmentContent   = swaProfile + "#Attachment-Content-Only"

	ValueTypeX509v3 = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3"
	ValueTypeSKI    = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509SubjectKeyIdentifier"
	EncodingBase64  = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
	TokenTypeEncKey = "http://docs.oasis-open.org/wss/oasis-wss-soap-message-security-1.1#EncryptedKey"
)
