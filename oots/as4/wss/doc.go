// Package wss implements the WS-Security 1.1.1 parts of the eDelivery AS4
// 1.15 profile used by OOTS: signing and verifying an ebMS3 SOAP 1.2
// envelope with its SwA attachments (OASIS WSS SwA profile 1.1), and
// encrypting and decrypting those attachments with AES-128-GCM under an
// RSA-OAEP (SHA-256, MGF1-SHA-256) transported key.
//
// The order on send is Sign then Encrypt; on receive Decrypt then Verify.
// Attachments are streams (Part.Open) so that a payload of any size is
// digested, encrypted and decrypted with bounded memory. Every failure
// wraps one of ErrFailedAuthentication, ErrFailedDecryption or
// ErrPolicyNoncompliance, which map to the ebMS errors EBMS:0101, 0102 and
// 0103.
package wss
