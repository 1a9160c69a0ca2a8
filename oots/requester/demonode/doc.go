// Package demonode runs both member states of the embedded demo on
// loopback: the Latvian evidence requester (oots/requester) and the demo
// member state (oots/provider), each behind two AS4 listeners on ports
// chosen at start, with the provider's preview space on https.
//
// The AS4 keys and P-Modes (pmode/demo) are generated on the first start
// and kept in the data folder, sealed with Options.Password, so they
// persist across restarts; the endpoints are rewritten to the addresses
// actually listened on each time. The preview space's TLS certificate is
// issued at each start by a fresh CA (ECDSA P-256, previewTLS) whose root
// is Node.PreviewRoots. Not for production: the AS4 keys come from
// keys/testpki.
package demonode
