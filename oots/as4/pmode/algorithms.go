package pmode

import "time"

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

// Message exchange pattern URIs of ebMS3.
const (
	// MEPOneWay is the one-way message exchange pattern.
	MEPOneWay = "http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/oneWay"
	// MEPTwoWay is the two-way message exchange pattern.
	MEPTwoWay = "http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/twoWay"
	// MEPBindingPush is the push channel binding.
	MEPBindingPush = "http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/push"
)

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
