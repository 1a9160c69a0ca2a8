// Package keys loads the AS4 key material: an Identity (private key and
// certificate chain) from PKCS#12 or Java keystores, and a TrustStore of
// CA and partner certificates from PEM files, JKS truststores and PKCS#12
// trust entries, which verifies certificates by chain, validity dates and
// key usage.
package keys
