package pmode

import "crypto/x509"

// AttachCertificates fills the certificate of every party that has none
// from lookup (keyed by party name, as Domibus truststores name partner
// certificates; pass (*keys.TrustStore).Lookup) and returns the names of
// the parties still without one, sorted.
func (c *Config) AttachCertificates(lookup func(partyName string) *x509.Certificate) []string {
	var missing []string
	for _, name := range c.PartyNames() {
		p := c.Parties[name]
		if p == nil {
			continue
		}
		if p.Cert == nil {
			p.Cert = lookup(name)
		}
		if p.Cert == nil {
			missing = append(missing, name)
		}
	}
	return missing
}
