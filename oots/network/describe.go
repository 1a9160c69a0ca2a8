package network

import (
	"crypto/x509"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/vienreiz/vienreiz/oots/exchange"
)

// Describe prints what the service will do with this network: our party
// and authority, our access points and which this process serves, every
// certificate (subject, issuer, expiry), the partners with their
// endpoints, the P-Modes and the directory.
func (n *Network) Describe(w io.Writer) error {
	f := &n.File
	p := &printer{w: w}
	p.line("Network file %s", n.Path)
	a := n.Authority()
	p.line("Our party %q, requesting authority %s (%s)%s", f.Party.Name, a.ID, a.Scheme, optional(" named ", a.Name))
	p.line("Our access points:")
	for i, ap := range f.AccessPoints {
		where := "served by another process"
		if ap.Listen != "" {
			where = "served here on " + ap.Listen
		}
		p.line("  %d. %s  %s  (%s)", i+1, ap.Name, ap.URL, where)
		p.cert("     key", n.Identities[i].Cert)
	}
	p.line("Partners:")
	for _, name := range n.PModes.PartyNames() {
		if name == n.PModes.Self {
			continue
		}
		party := n.PModes.Parties[name]
		var ids []string
		for _, id := range party.IDs {
			ids = append(ids, id.Value)
		}
		def := ""
		if name == f.PModes.DefaultPartner {
			def = " (default partner)"
		}
		p.line("  %s%s  ids %s", name, def, strings.Join(ids, ", "))
		for i, e := range party.Endpoints {
			p.line("     endpoint %d: %s", i+1, e)
		}
		p.cert("     certificate", party.Cert)
	}
	p.line("P-Modes:")
	for _, m := range n.PModes.PModes {
		var legs []string
		for _, l := range m.Legs {
			legs = append(legs, l.Action)
		}
		p.line("  %s: %s -> %s  %s  sign %t, encrypt %t, receipts %t, %d retries", m.ID, m.Initiator.Party, m.Responder.Party,
			strings.Join(legs, ", "), m.Security.Sign, m.Security.Encrypt, m.Security.SendReceipt, m.Reliability.RetryCount)
	}
	p.line("Trust store: %d certificates", len(n.Trust.Certificates()))
	if !n.verifyAt.IsZero() {
		p.line("Partners' certificates are checked as at %s (trust.verify_at), not at the time of each message", n.verifyAt.UTC().Format(time.RFC3339))
	}
	for _, c := range n.Trust.Certificates() {
		p.cert("  ", c)
	}
	if f.Directory.URL != "" {
		p.line("Evidence Broker / Data Service Directory: %s (time-out %s)", f.Directory.URL, orDefault(f.Timeouts.Directory.Duration, DefaultDirectoryTimeout))
	}
	if f.Directory.Listen != "" {
		p.line("Demo directory served on %s", f.Directory.Listen)
	}
	p.line("Preview spaces: time-out %s, TLS roots %s", orDefault(f.Timeouts.Preview.Duration, DefaultPreviewTimeout), orSystem(f.Preview.CAFile))
	if r := f.Preview.ReturnBaseURL; r != "" {
		p.line("Previews: citizens open them in the browser and come back to %s", exchange.PreviewReturnURL(r, "ID"))
	} else {
		p.line("Previews: fetched by this service and shown in the app (no return_base_url)")
	}
	if n.PreviewCert != nil {
		p.line("Our preview space: %s on %s", f.Preview.URL, f.Preview.Listen)
		p.cert("  TLS", n.PreviewCert.Leaf)
	}
	p.line("Unacknowledged messages are sent again every %s", n.ResendInterval())
	return p.err
}

// printer writes lines until the first error.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) line(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format+"\n", args...)
	}
}

func (p *printer) cert(label string, c *x509.Certificate) {
	if c == nil {
		p.line("%s: none", label)
		return
	}
	p.line("%s: subject %s; issuer %s; valid until %s", label, c.Subject, c.Issuer, c.NotAfter.UTC().Format(time.DateOnly))
}

func optional(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + fmt.Sprintf("%q", s)
}

func orSystem(path string) string {
	if path == "" {
		return "the system's"
	}
	return path
}
