package pmode

import (
	"strings"
	"time"
)

// Algorithm URIs of the eDelivery AS4 1.15 profile.
const (
	// AlgRSASHA256 is the RSA PKCS#1 v1.5 signature with SHA-256.
	AlgRSASHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
	// AlgSHA256 is the SHA-256 digest.
	AlgSHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
	// AlgAES128GCM is AES-128 in GCM mode for payload encryption.
	AlgAES128GCM = "http://www.w3.org/2009/xmlenc11#aes128-gcm"
	// AlgRSAOAEP is RSA-OAEP key transport as defined by XML Encryption 1.1.
	AlgRSAOAEP = "http://www.w3.org/2009/xmlenc11#rsa-oaep"
	// AlgMGF1SHA256 is the MGF1 mask generation function with SHA-256.
	AlgMGF1SHA256 = "http://www.w3.org/2009/xmlenc11#mgf1sha256"
)

// Further algorithm URIs accepted in configurations.
const (
	// AlgRSASHA384 is the RSA PKCS#1 v1.5 signature with SHA-384.
	AlgRSASHA384 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384"
	// AlgRSASHA512 is the RSA PKCS#1 v1.5 signature with SHA-512.
	AlgRSASHA512 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512"
	// AlgSHA384 is the SHA-384 digest.
	AlgSHA384 = "http://www.w3.org/2001/04/xmldsig-more#sha384"
	// AlgSHA512 is the SHA-512 digest.
	AlgSHA512 = "http://www.w3.org/2001/04/xmlenc#sha512"
	// AlgAES256GCM is AES-256 in GCM mode.
	AlgAES256GCM = "http://www.w3.org/2009/xmlenc11#aes256-gcm"
	// AlgRSAOAEPMGF1P is RSA-OAEP of XML Encryption 1.0 (MGF1 with SHA-1 fixed).
	AlgRSAOAEPMGF1P = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p"
	// AlgMGF1SHA384 is MGF1 with SHA-384.
	AlgMGF1SHA384 = "http://www.w3.org/2009/xmlenc11#mgf1sha384"
	// AlgMGF1SHA512 is MGF1 with SHA-512.
	AlgMGF1SHA512 = "http://www.w3.org/2009/xmlenc11#mgf1sha512"
)

// Message exchange pattern URIs of ebMS3.
const (
	// MEPOneWay is the one-way message exchange pattern.
	MEPOneWay = "http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/oneWay"
	// MEPTwoWay is the two-way message exchange pattern.
	MEPTwoWay = "http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/twoWay"
	// MEPBindingPush is the push channel binding.
	MEPBindingPush = "http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/push"
	// MEPBindingPushAndPush is the two-way push-and-push binding.
	MEPBindingPushAndPush = "http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/pushAndPush"
	// MEPBindingPull is the pull binding (recognised, not supported).
	MEPBindingPull = "http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/pull"
)

// Role URIs.
const (
	// RoleInitiator is the ebMS3 default initiator role.
	RoleInitiator = "http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/initiator"
	// RoleResponder is the ebMS3 default responder role.
	RoleResponder = "http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/responder"
	// RoleOOTSGateway is the role OOTS access points play on both sides.
	RoleOOTSGateway = "http://sdg.europa.eu/edelivery/gateway"
)

// expandMEP turns the short names "oneWay" and "twoWay" into the URIs;
// empty means one-way. Other values are returned as they are.
func expandMEP(s string) string {
	switch strings.ToLower(s) {
	case "", "oneway":
		return MEPOneWay
	case "twoway":
		return MEPTwoWay
	}
	return s
}

// expandBinding turns "push", "pushAndPush" and "pull" into the URIs;
// empty means push.
func expandBinding(s string) string {
	switch strings.ToLower(s) {
	case "", "push":
		return MEPBindingPush
	case "pushandpush":
		return MEPBindingPushAndPush
	case "pull":
		return MEPBindingPull
	}
	return s
}

// Profile defaults used when a configuration leaves a setting out.
const (
	// DefaultRetryCount is the number of retries after the first attempt.
	DefaultRetryCount = 5
	// DefaultRetryInterval is the wait before the first retry.
	DefaultRetryInterval = time.Minute
	// DefaultBackoffFactor doubles the wait after each retry.
	DefaultBackoffFactor = 2.0
	// DefaultReceiptTimeout is how long a sender waits for a receipt.
	DefaultReceiptTimeout = 2 * time.Minute
)

// DefaultSecurity returns the eDelivery AS4 1.15 security settings:
// signed and encrypted, RSA-SHA256, SHA-256, AES-128-GCM, RSA-OAEP with
// SHA-256 and MGF1-SHA-256, non-repudiation receipts.
func DefaultSecurity() Security {
	return Security{
		Sign:                    true,
		Encrypt:                 true,
		SignatureAlgorithm:      AlgRSASHA256,
		DigestAlgorithm:         AlgSHA256,
		DataEncryptionAlgorithm: AlgAES128GCM,
		KeyTransportAlgorithm:   AlgRSAOAEP,
		KeyTransportDigest:      AlgSHA256,
		KeyTransportMGF:         AlgMGF1SHA256,
		SendReceipt:             true,
		NonRepudiation:          true,
	}
}

// DefaultReliability returns the profile's reliability settings:
// retries with exponential back-off and duplicate detection on.
func DefaultReliability() Reliability {
	return Reliability{
		RetryCount:         DefaultRetryCount,
		RetryInterval:      DefaultRetryInterval,
		BackoffFactor:      DefaultBackoffFactor,
		ReceiptTimeout:     DefaultReceiptTimeout,
		DuplicateDetection: true,
	}
}
