// Package testpki builds a small certificate authority for tests and demos:
// a root CA, an issuing CA below it, and party certificates with the key
// usages AS4 needs (digitalSignature and keyEncipherment), plus the broken
// ones tests need: expired, not yet valid and wrong usage.
//
// Certificates are deterministic for a given name, kind and reference time
// (fixed serial numbers, names and validity windows). RSA-2048 keys are
// generated once per name and process and then reused, because key
// generation is slow; that cache is the only state the package keeps.
// Never use these keys outside tests and local demos.
package testpki
