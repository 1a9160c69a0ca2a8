package network

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vienreiz/vienreiz/identity"
	"github.com/vienreiz/vienreiz/oots/as4/keys"
	"github.com/vienreiz/vienreiz/oots/as4/pmode"
	"github.com/vienreiz/vienreiz/oots/as4/pmode/domibus"
)

// Defaults of the time-outs.
const (
	DefaultDirectoryTimeout = 10 * time.Second
	DefaultPreviewTimeout   = 30 * time.Second
	DefaultResendInterval   = time.Minute
)

// maxSecretSize bounds a password file.
const maxSecretSize = 4 << 10

// Network is a network file loaded and checked: keys opened, P-Modes
// read, our access points set as our party's endpoints.
type Network struct {
	// Path is the network file.
	Path string
	File File
	// PModes is the partners' P-Mode configuration; PModes.Self is us,
	// with our access points' URLs as its endpoints.
	PModes *pmode.Config
	// Identities holds each access point's key, in file order.
	Identities []keys.Identity
	// Trust holds the partners' CAs.
	Trust *keys.TrustStore
	// DirectoryRoots and PreviewRoots trust the directory's and the
	// partners' preview spaces' TLS certificates; nil means the system's.
	DirectoryRoots, PreviewRoots *x509.CertPool
	// PreviewCert is our own preview space's TLS certificate (member-state
	// processes only), nil when not configured.
	PreviewCert *tls.Certificate
	// verifyAt is trust.verify_at parsed; zero when not set.
	verifyAt time.Time
}

// VerifyAt is the time partners' certificates are checked at
// (trust.verify_at), nil when they are checked at the time of each check.
func (n *Network) VerifyAt() func() time.Time {
	if n.verifyAt.IsZero() {
		return nil
	}
	at := n.verifyAt
	return func() time.Time { return at }
}

// Options configure Load.
type Options struct {
	// Now is the time our certificates must be valid at (time.Now).
	Now time.Time
	// Getenv reads environment variables (os.Getenv).
	Getenv func(string) string
}

// Problems are everything wrong with a network file, one per field.
type Problems []pmode.FieldError

func (p Problems) Error() string {
	var b strings.Builder
	for i, e := range p {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Load reads the network file at path and checks every field: the keys
// open with their passwords and hold certificates valid now, the trust
// store and the P-Modes load, the P-Modes know our party and every party
// they name, the URLs are URLs. All problems are returned together
// (Problems), each naming its field.
func Load(path string, opts Options) (*Network, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	data, err := readFile(path, MaxFileSize)
	if err != nil {
		return nil, fmt.Errorf("network file: %w", err)
	}
	f, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("network file %s: %w", path, err)
	}
	l := loader{base: filepath.Dir(path), opts: opts, n: &Network{Path: path, File: *f}}
	l.load()
	if len(l.problems) > 0 {
		return nil, fmt.Errorf("network file %s:\n%w", path, l.problems)
	}
	return l.n, nil
}

// loader collects the problems of one Load.
type loader struct {
	base     string
	opts     Options
	n        *Network
	problems Problems
}

func (l *loader) bad(field, format string, args ...any) {
	l.problems = append(l.problems, pmode.FieldError{Field: field, Msg: fmt.Sprintf(format, args...)})
}

func (l *loader) load() {
	f := &l.n.File
	if f.Party.Name == "" {
		l.bad("party.name", "missing: the name of our party in the P-Modes")
	}
	if f.Party.AuthorityID == "" {
		l.bad("party.authority_id", "missing: the identifier of the requesting authority")
	}
	if f.Party.AuthorityScheme != "" && !strings.HasPrefix(f.Party.AuthorityScheme, "urn:") {
		l.bad("party.authority_scheme", "%q is not a URN such as urn:cef.eu:names:identifier:EAS:9939", f.Party.AuthorityScheme)
	}
	l.accessPoints()
	l.trust()
	l.pmodes()
	l.directory()
	l.preview()
	if id := f.Identity; id != (identity.Provider{}) {
		if _, err := id.Normalized(); err != nil {
			l.bad("identity", "%v", err)
		}
	}
}

func (l *loader) accessPoints() {
	aps := l.n.File.AccessPoints
	if len(aps) == 0 {
		l.bad("access_points", "missing: at least one [[access_points]]")
	}
	for i, ap := range aps {
		field := fmt.Sprintf("access_points[%d]", i)
		if ap.Name == "" {
			l.bad(field+".name", "missing")
		}
		l.url(field+".url", ap.URL, true)
		if ap.Listen != "" {
			l.listen(field+".listen", ap.Listen)
		}
		id, ok := l.identity(field+".identity", ap.Identity)
		l.n.Identities = append(l.n.Identities, id)
		if ok && i > 0 && l.n.Identities[0].Cert != nil && !id.Cert.Equal(l.n.Identities[0].Cert) {
			l.bad(field+".identity", "its certificate differs from access_points[0]'s; our party has one certificate in the partners' P-Modes")
		}
	}
}

// identity opens a key entry and checks its certificate is valid now.
func (l *loader) identity(field string, ks Keystore) (keys.Identity, bool) {
	if ks.File == "" {
		l.bad(field+".file", "missing: a PKCS#12 or JKS keystore")
		return keys.Identity{}, false
	}
	password, ok := l.secret(field, ks.Secret, true)
	if !ok {
		return keys.Identity{}, false
	}
	keyPassword, ok := l.secret(field, Secret{PasswordEnv: ks.KeyPasswordEnv, PasswordFile: ks.KeyPasswordFile}, false)
	if !ok {
		return keys.Identity{}, false
	}
	id, err := keys.LoadIdentityFile(resolve(l.base, ks.File), password, ks.Alias, keyPassword)
	switch {
	case errors.Is(err, keys.ErrPassword):
		l.bad(field, "wrong password for %s", ks.File)
		return id, false
	case err != nil:
		l.bad(field+".file", "%v", err)
		return id, false
	}
	c := id.Cert
	if now := l.opts.Now; now.After(c.NotAfter) {
		l.bad(field, "certificate %q expired on %s", c.Subject, c.NotAfter.UTC().Format(time.DateOnly))
		return id, false
	} else if now.Before(c.NotBefore) {
		l.bad(field, "certificate %q is not valid before %s", c.Subject, c.NotBefore.UTC().Format(time.DateTime))
		return id, false
	}
	return id, true
}

// secret reads a password from its variable or file; required says an
// empty result is a problem.
func (l *loader) secret(field string, s Secret, required bool) (string, bool) {
	switch {
	case s.Password != "":
		l.bad(field+".password", "passwords are not written in the network file; use password_env or password_file")
		return "", false
	case s.PasswordEnv != "" && s.PasswordFile != "":
		l.bad(field, "give password_env or password_file, not both")
		return "", false
	case s.PasswordEnv != "":
		v := l.opts.Getenv(s.PasswordEnv)
		if v == "" {
			l.bad(field+".password_env", "environment variable %s is not set", s.PasswordEnv)
			return "", false
		}
		return v, true
	case s.PasswordFile != "":
		b, err := readFile(resolve(l.base, s.PasswordFile), maxSecretSize)
		if err != nil {
			l.bad(field+".password_file", "%v", err)
			return "", false
		}
		return string(bytes.TrimRight(b, "\r\n")), true
	case required:
		l.bad(field, "missing: password_env or password_file")
		return "", false
	}
	return "", true
}

func (l *loader) trust() {
	t := l.n.File.Trust
	l.n.Trust = keys.NewTrustStore()
	if t.VerifyAt != "" {
		at, err := time.Parse(time.RFC3339, t.VerifyAt)
		if err != nil {
			l.bad("trust.verify_at", "%q is not a time such as 2026-12-01T12:00:00Z", t.VerifyAt)
		}
		l.n.verifyAt = at
	}
	if len(t.Files) == 0 {
		l.bad("trust.files", "missing: the CAs of our partners' certificates")
		return
	}
	password := ""
	if t.PasswordEnv != "" || t.PasswordFile != "" || t.Password != "" {
		var ok bool
		if password, ok = l.secret("trust", t.Secret, true); !ok {
			return
		}
	}
	for i, p := range t.Files {
		if _, err := l.n.Trust.AddFile(resolve(l.base, p), password); err != nil {
			l.bad(fmt.Sprintf("trust.files[%d]", i), "%v", err)
		}
	}
}

func (l *loader) pmodes() {
	p := l.n.File.PModes
	var c *pmode.Config
	var err error
	switch {
	case p.File != "" && p.Domibus != "":
		l.bad("pmodes", "give file or domibus, not both")
		return
	case p.File != "":
		c, err = pmode.Load(resolve(l.base, p.File))
		if err != nil {
			l.bad("pmodes.file", "%v", err)
			return
		}
	case p.Domibus != "":
		var data []byte
		if data, err = readFile(resolve(l.base, p.Domibus), domibus.MaxFileSize); err == nil {
			c, err = domibus.Import(bytes.NewReader(data))
		}
		if err != nil {
			l.bad("pmodes.domibus", "%v", err)
			return
		}
	default:
		l.bad("pmodes", "missing: file (our P-Mode format) or domibus (a Domibus P-Mode XML)")
		return
	}
	field := "pmodes." + map[bool]string{true: "file", false: "domibus"}[p.File != ""]
	name := l.n.File.Party.Name
	self, err := c.Party(name)
	if name != "" && err != nil {
		l.bad("party.name", "the P-Modes (%s) have no party %q; they know %s", field, name, strings.Join(c.PartyNames(), ", "))
		return
	}
	if name != "" {
		c.Self = name
		self.Endpoints = nil
		for _, ap := range l.n.File.AccessPoints {
			self.Endpoints = append(self.Endpoints, ap.URL)
		}
		if len(l.n.Identities) > 0 {
			self.Cert = l.n.Identities[0].Cert
		}
	}
	if p.DefaultPartner != "" {
		if _, err := c.Party(p.DefaultPartner); err != nil {
			l.bad("pmodes.default_partner", "no party %q in the P-Modes; they know %s", p.DefaultPartner, strings.Join(c.PartyNames(), ", "))
		}
	}
	if missing := c.AttachCertificates(l.n.Trust.Lookup); len(missing) > 0 {
		for _, m := range missing {
			if m != name {
				l.bad(field, "party %q has no certificate: give it in the P-Modes or as a trust-store entry with alias %q", m, m)
			}
		}
	}
	for _, pn := range c.PartyNames() {
		pc := c.Parties[pn].Cert
		if pn == name || pc == nil {
			continue
		}
		at := l.opts.Now
		if !l.n.verifyAt.IsZero() {
			at = l.n.verifyAt
		}
		if err := l.n.Trust.Verify(pc, at); err != nil {
			l.bad(field, "party %q: certificate %q: %v", pn, pc.Subject, err)
		}
	}
	if err := c.Validate(); err != nil {
		l.bad(field, "%v", err)
		return
	}
	l.n.PModes = c
}

func (l *loader) directory() {
	d := l.n.File.Directory
	if d.URL == "" && d.Listen == "" {
		l.bad("directory.url", "missing: the base URL of the Evidence Broker and Data Service Directory")
	}
	if d.URL != "" {
		l.url("directory.url", d.URL, false)
	}
	if d.Listen != "" {
		l.listen("directory.listen", d.Listen)
	}
	l.n.DirectoryRoots = l.roots("directory.ca_file", d.CAFile)
}

func (l *loader) preview() {
	p := l.n.File.Preview
	l.n.PreviewRoots = l.roots("preview.ca_file", p.CAFile)
	l.returnBase("preview.return_base_url", p.ReturnBaseURL)
	if p.URL == "" && p.Listen == "" && p.TLS.File == "" {
		return // no preview space of our own
	}
	l.url("preview.url", p.URL, true)
	if !strings.HasPrefix(p.URL, "https://") {
		l.bad("preview.url", "%q: a preview space is served over https", p.URL)
	}
	l.listen("preview.listen", p.Listen)
	id, ok := l.identity("preview.tls", p.TLS)
	if !ok {
		return
	}
	cert := tls.Certificate{PrivateKey: id.Key, Leaf: id.Cert, Certificate: [][]byte{id.Cert.Raw}}
	for _, c := range id.Chain {
		cert.Certificate = append(cert.Certificate, c.Raw)
	}
	l.n.PreviewCert = &cert
}

// roots reads a PEM file of CA certificates; "" is the system's (nil).
func (l *loader) roots(field, path string) *x509.CertPool {
	if path == "" {
		return nil
	}
	b, err := readFile(resolve(l.base, path), keys.MaxStoreSize)
	if err != nil {
		l.bad(field, "%v", err)
		return nil
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		l.bad(field, "%s holds no PEM certificate", path)
		return nil
	}
	return pool
}

func (l *loader) url(field, s string, required bool) {
	if s == "" {
		if required {
			l.bad(field, "missing")
		}
		return
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		l.bad(field, "%q is not an http or https URL", s)
	}
}

// returnBase checks the preview-redirect base URL: an https URL (http
// only on loopback, for trying it out) without query or fragment.
func (l *loader) returnBase(field, s string) {
	if s == "" {
		return
	}
	u, err := url.Parse(s)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		l.bad(field, "%q is not an http or https URL", s)
	case u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "#"):
		l.bad(field, "%q is a base URL: no query or fragment", s)
	case u.User != nil:
		l.bad(field, "%q carries credentials", s)
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		l.bad(field, "%q: citizens' browsers come back over https (http only on loopback)", s)
	}
}

// isLoopback reports whether host names this machine.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (l *loader) listen(field, addr string) {
	if addr == "" {
		l.bad(field, "missing: a host:port to listen on")
		return
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		l.bad(field, "%q is not host:port: %v", addr, err)
	}
}
