// Package as4 is the ebMS3 / AS4 message service handler of Vienreiz, after
// the eDelivery AS4 1.15 profile as OOTS uses it.
//
// It holds the message model (user messages, receipt and error signals), the
// SOAP 1.2 envelope, SOAP-with-attachments MIME packaging, gzip payload
// compression, and the MSH itself: a Sender (P-Mode selection, retries with
// back-off, access-point failover, persistent outbox) and a Receiver (an
// http.Handler with duplicate elimination, decompression-bomb limits and
// synchronous receipts or ebMS errors). WS-Security is done by package wss,
// P-Modes by package pmode and keys by package keys.
//
// Send order: compress, sign, encrypt, MIME; the outbox entry commits while
// the message is signed, and the message is posted once it has. Receive
// order: MIME, the envelope's signature, decrypt, verify the parts,
// decompress, deliver, record, receipt; the MessageId is claimed and the
// receipt signed while the message is decrypted, and the receipt goes out
// only once the message is recorded. Payloads are re-readable streams
// backed by temporary files, so large attachments never sit in memory.
package as4
