// Package network reads the network file: the TOML file that connects the
// exchange service to a real OOTS network (our party and access points,
// their keys, the trust store, the partners' P-Modes, the Evidence Broker
// and Data Service Directory, time-outs). Load checks every field and
// names each bad one; Describe prints the plan; Connect implements
// exchange.Network. docs/network.md documents the format field by field.
package network

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/vienreiz/vienreiz/identity"
)

// MaxFileSize bounds the network file.
const MaxFileSize = 1 << 20

// File is the network file as written.
type File struct {
	Party        Party         `toml:"party"`
	AccessPoints []AccessPoint `toml:"access_points"`
	Trust        Trust         `toml:"trust"`
	PModes       PModes        `toml:"pmodes"`
	Directory    Directory     `toml:"directory"`
	Preview      Preview       `toml:"preview"`
	Timeouts     Timeouts      `toml:"timeouts"`
	// Identity is the identity provider people sign in with
	// (identity.Provider; -oidc-issuer overrides it).
	Identity identity.Provider `toml:"identity"`
}

// Party is us: the P-Mode party we are and the requesting authority.
type Party struct {
	// Name is our party's name in the P-Modes.
	Name string `toml:"name"`
	// AuthorityID and AuthorityScheme identify the evidence-requesting
	// authority in every QueryRequest (an EAS code-list scheme).
	AuthorityID     string `toml:"authority_id"`
	AuthorityScheme string `toml:"authority_scheme"`
	// AuthorityName is its name; empty means the catalogue's.
	AuthorityName string `toml:"authority_name"`
}

// AccessPoint is one of our access points.
type AccessPoint struct {
	// Name names it in messages about the file.
	Name string `toml:"name"`
	// URL is its public endpoint, where partners post.
	URL string `toml:"url"`
	// Listen is the address this process serves it on; empty means
	// another process (on another host) serves it.
	Listen string `toml:"listen"`
	// Identity is its signing and decryption key.
	Identity Keystore `toml:"identity"`
}

// Keystore names a key entry in a PKCS#12 or JKS file. Passwords are
// never written in the network file: they come from an environment
// variable or a file.
type Keystore struct {
	File string `toml:"file"`
	// Alias picks the key entry; empty means the only one.
	Alias string `toml:"alias"`
	Secret
	// KeyPasswordEnv and KeyPasswordFile give the key's own password
	// (JKS) when it differs from the store's.
	KeyPasswordEnv  string `toml:"key_password_env"`
	KeyPasswordFile string `toml:"key_password_file"`
}

// Secret says where a store password comes from.
type Secret struct {
	PasswordEnv  string `toml:"password_env"`
	PasswordFile string `toml:"password_file"`
	// Password is refused: passwords do not belong in the network file.
	Password string `toml:"password"`
}

// Trust is the trust store: the CAs our partners' certificates chain to.
type Trust struct {
	// Files are PEM, DER, JKS or PKCS#12 files; a JKS or PKCS#12 entry's
	// alias may name a partner party, whose certificate it then is.
	Files []string `toml:"files"`
	Secret
	// VerifyAt, an RFC 3339 time, is when partners' certificates are
	// checked, at start and in every exchange, instead of the time of each
	// check: to re-process saved messages as at the time they arrived.
	// The message clock (timestamps, time-outs) is not changed by it.
	VerifyAt string `toml:"verify_at"`
}

// PModes are the partners' P-Modes.
type PModes struct {
	// File is in our P-Mode format (JSON); Domibus is a Domibus P-Mode
	// XML to import. Exactly one is given.
	File    string `toml:"file"`
	Domibus string `toml:"domibus"`
	// DefaultPartner, when set, is the party that receives requests for
	// data services whose DSD party id no party lists (a gateway).
	DefaultPartner string `toml:"default_partner"`
}

// Directory is the Evidence Broker and Data Service Directory.
type Directory struct {
	// URL is the base URL of both query interfaces.
	URL string `toml:"url"`
	// CAFile trusts the directory's TLS certificate; empty means the
	// system roots.
	CAFile string `toml:"ca_file"`
	// Listen, on a member-state process (-demo-member-state), serves the
	// demo directory there.
	Listen string `toml:"listen"`
}

// Preview is about preview spaces: the partners' (which we open) and, on
// a member-state process, our own.
type Preview struct {
	// ReturnBaseURL is the preview-redirect base URL: the https address at
	// which citizens' browsers reach this service. With it, the app sends
	// the citizen's browser to the partner's preview space (the
	// PreviewLocation with returnurl=RETURN_BASE_URL/open/requests/ID) and
	// the preview space sends it back there; without it, the service
	// fetches previews itself, as the demo does.
	ReturnBaseURL string `toml:"return_base_url"`
	// CAFile trusts the partners' preview spaces; empty means the system
	// roots.
	CAFile string `toml:"ca_file"`
	// URL, Listen and TLS are our own preview space on a member-state
	// process: its public https base URL, its address and its certificate.
	URL    string   `toml:"url"`
	Listen string   `toml:"listen"`
	TLS    Keystore `toml:"tls"`
}

// Timeouts bound the waits; zero takes the default.
type Timeouts struct {
	Directory Duration `toml:"directory"`
	Preview   Duration `toml:"preview"`
	// Resend is how often unacknowledged messages are sent again.
	Resend Duration `toml:"resend"`
}

// Duration is a time.Duration written as "30s" or "2m".
type Duration struct{ time.Duration }

// UnmarshalText parses a Go duration.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%q is not a duration such as 30s or 2m", b)
	}
	if v <= 0 {
		return fmt.Errorf("%q is not positive", b)
	}
	d.Duration = v
	return nil
}

// Parse reads a network file's text; unknown fields are errors.
func Parse(data []byte) (*File, error) {
	var f File
	md, err := toml.Decode(string(data), &f)
	if err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			if perr.LastKey != "" {
				return nil, fmt.Errorf("line %d: %s: %s", perr.Position.Line, perr.LastKey, perr.Message)
			}
			return nil, fmt.Errorf("line %d: %s", perr.Position.Line, perr.Message)
		}
		return nil, err
	}
	if extra := md.Undecoded(); len(extra) > 0 {
		var names []string
		for _, k := range extra {
			names = append(names, k.String())
		}
		sort.Strings(names)
		return nil, fmt.Errorf("unknown field %s", strings.Join(names, ", "))
	}
	return &f, nil
}

// readFile reads path, refusing a folder or a file larger than max.
func readFile(path string, max int64) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("%s is a folder", path)
	}
	if fi.Size() > max {
		return nil, fmt.Errorf("%s is %d bytes, more than %d", path, fi.Size(), max)
	}
	return os.ReadFile(path)
}

// resolve makes a path in the file relative to the file's folder.
func resolve(base, path string) string {
	if path == "" || filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(base, path)
}
