package platforms

import (
	"context"
	"encoding/hex"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/vienreiz/vienreiz/identity"
	"github.com/vienreiz/vienreiz/internal/logs"
	"github.com/vienreiz/vienreiz/oots/exchange"
	"github.com/vienreiz/vienreiz/oots/network"
	"github.com/vienreiz/vienreiz/platforms/device"
)

// ServiceFlags are the settings of the exchange service that the app and
// the headless server share, each with its environment variable.
type ServiceFlags struct {
	Listen   string
	DataDir  string
	Database string
	logs.Flags
	// DemoTokens gives the demo citizens' and clerk's bearer tokens, as
	// "citizen=TOKEN,citizen=TOKEN,clerk=TOKEN": each citizen token is
	// another demo citizen.
	DemoTokens string
	// Network is the network file (oots/network); empty means the demo.
	Network string
	// DemoTokensFile holds DemoTokens (keeps them out of the process's
	// command line).
	DemoTokensFile string
	// demoTokensOnCommandLine is set when -demo-tokens was given as a
	// flag: every user of the machine can read it.
	demoTokensOnCommandLine bool
	// MemberState is the folder of a demo member state running on its
	// own, shared by several service processes (demonet.Shared).
	MemberState string
	// OIDCIssuer and OIDCClientID name the identity provider; without
	// them the development provider runs (refused in production), on
	// DevIdPListen.
	OIDCIssuer, OIDCClientID string
	DevIdPListen             string
	// TLSCert and TLSKey are PEM files: serve the API over HTTPS.
	TLSCert, TLSKey string
	// Limits bound connections and event streams.
	Limits exchange.Limits
	// EvidenceKeyFile holds the key (64 hex digits) that encrypts the
	// evidence documents at rest.
	EvidenceKeyFile string
	// EvidenceKey (32 bytes) is that key when given otherwise: the app
	// keeps one in the OS secret store (UseSecretStore).
	EvidenceKey []byte
	// MaxEvidenceSize bounds the documents of one answer, bytes (0: only
	// the P-Mode's limit).
	MaxEvidenceSize int64
	// DemoPassword seals the embedded demo network's PKCS#12 key stores
	// (VIENREIZ_DEMO_PASSWORD, or read from DemoPasswordFile); the app
	// sets it from the OS secret store (DemoPassword), the server from the
	// environment; empty keeps demonode.DefaultPassword.
	DemoPassword string
	// DemoPasswordFile holds DemoPassword.
	DemoPasswordFile string
	// AppLinks are the installed apps the https /open/ links open
	// (docs/app-links.md).
	AppLinks exchange.AppLinks
	// HandoffKeyFile holds the key (64 hex digits) that signs handoff and
	// pairing links, the same for every process; HandoffKey is that key
	// when given otherwise (the app's secret store).
	HandoffKeyFile string
	HandoffKey     []byte
}

// Register adds the flags to fs; defaultListen is the address used when
// neither the flag nor VIENREIZ_LISTEN is set.
func (f *ServiceFlags) Register(fs *flag.FlagSet, defaultListen string) {
	fs.StringVar(&f.Listen, "listen", envOr("VIENREIZ_LISTEN", defaultListen), "address of the exchange service's REST API (VIENREIZ_LISTEN)")
	fs.StringVar(&f.DataDir, "data-dir", "", "folder for the SQLite database and the AS4 state ("+device.DataDirEnv+"; default $XDG_DATA_HOME/vienreiz)")
	fs.StringVar(&f.Database, "database", os.Getenv("VIENREIZ_DATABASE"), "postgres://… URL or SQLite file path; overrides -data-dir (VIENREIZ_DATABASE)")
	f.Flags.Register(fs)
	f.DemoTokens = os.Getenv("VIENREIZ_DEMO_TOKENS")
	fs.Func("demo-tokens", "citizen=TOKEN,…,clerk=TOKEN: bearer tokens of demo citizens (each its own person) and the clerk; prefer VIENREIZ_DEMO_TOKENS or -demo-tokens-file: a flag shows in the process list", func(v string) error {
		f.DemoTokens, f.demoTokensOnCommandLine = v, true
		return nil
	})
	f.DemoPassword = os.Getenv("VIENREIZ_DEMO_PASSWORD")
	fs.StringVar(&f.DemoPasswordFile, "demo-password-file", os.Getenv("VIENREIZ_DEMO_PASSWORD_FILE"), "file holding the password that seals the embedded demo network's key stores (VIENREIZ_DEMO_PASSWORD_FILE, or the password itself in VIENREIZ_DEMO_PASSWORD); the app keeps one in the OS secret store")
	fs.StringVar(&f.DemoTokensFile, "demo-tokens-file", os.Getenv("VIENREIZ_DEMO_TOKENS_FILE"), "file holding the -demo-tokens value, readable by the service's user only (VIENREIZ_DEMO_TOKENS_FILE)")
	fs.StringVar(&f.MemberState, "member-state", os.Getenv("VIENREIZ_MEMBER_STATE"), "folder of a demo member state started with -demo-member-state, to share it with other service processes on one PostgreSQL (VIENREIZ_MEMBER_STATE)")
	fs.StringVar(&f.OIDCIssuer, "oidc-issuer", os.Getenv("VIENREIZ_OIDC_ISSUER"), "issuer URL of the OpenID Connect provider people sign in with; without it the development provider runs (VIENREIZ_OIDC_ISSUER)")
	fs.StringVar(&f.OIDCClientID, "oidc-client-id", os.Getenv("VIENREIZ_OIDC_CLIENT_ID"), "the app's client id at that provider (VIENREIZ_OIDC_CLIENT_ID)")
	fs.StringVar(&f.DevIdPListen, "dev-idp-listen", envOr("VIENREIZ_DEV_IDP_LISTEN", "127.0.0.1:0"), "address of the development identity provider, when it runs (VIENREIZ_DEV_IDP_LISTEN)")
	fs.StringVar(&f.TLSCert, "tls-cert", os.Getenv("VIENREIZ_TLS_CERT"), "PEM certificate (chain) file: serve the API over HTTPS, with -tls-key (VIENREIZ_TLS_CERT); without it plain HTTP, for loopback or behind a reverse proxy (docs/reverse-proxy.md)")
	fs.StringVar(&f.TLSKey, "tls-key", os.Getenv("VIENREIZ_TLS_KEY"), "PEM private key file of -tls-cert (VIENREIZ_TLS_KEY)")
	fs.IntVar(&f.Limits.Conns, "max-conns", exchange.DefaultLimits.Conns, "most API connections open at once; beyond it the longest-waiting idle one is closed, or 503")
	fs.IntVar(&f.Limits.ConnsPerHost, "max-conns-per-host", exchange.DefaultLimits.ConnsPerHost, "most API connections from one address (raise it behind a reverse proxy)")
	fs.IntVar(&f.Limits.StreamsPerPrincipal, "max-streams-per-person", exchange.DefaultLimits.StreamsPerPrincipal, "most event streams one person may hold open (429 beyond)")
	fs.IntVar(&f.Limits.Streams, "max-streams", exchange.DefaultLimits.Streams, "most event streams open at once (503 beyond)")
	fs.DurationVar(&f.Limits.PortalIdle, "portal-idle", exchange.DefaultLimits.PortalIdle, "how long a sign-in on the web portal lasts unused; then the person is signed out")
	fs.IntVar(&f.Limits.CodeGuesses, "max-code-guesses", exchange.DefaultLimits.CodeGuesses, "most pairing codes that do not exist one address may try in 10 minutes (429 beyond; raise it behind a reverse proxy)")
	fs.StringVar(&f.Network, "network", os.Getenv("VIENREIZ_NETWORK"), "network file (TOML, see docs/network.md): run against a real OOTS network; without it the demo network starts (VIENREIZ_NETWORK)")
	fs.StringVar(&f.EvidenceKeyFile, "evidence-key-file", os.Getenv("VIENREIZ_EVIDENCE_KEY_FILE"), "file holding the key (64 hex digits) that encrypts evidence documents at rest; without it they are kept in clear (VIENREIZ_EVIDENCE_KEY_FILE)")
	fs.StringVar(&f.HandoffKeyFile, "handoff-key-file", os.Getenv("VIENREIZ_HANDOFF_KEY_FILE"), "file holding the key (64 hex digits) that signs handoff and pairing links, the same file for every process on one database; a new key refuses links made before (their short codes still work); without it each process makes its own (VIENREIZ_HANDOFF_KEY_FILE)")
	fs.Int64Var(&f.MaxEvidenceSize, "max-evidence-size", 0, "largest evidence answer in bytes; a larger one ends its request with the reason (0: the P-Mode's limit only)")
	fs.StringVar(&f.AppLinks.AndroidPackage, "android-package", os.Getenv("VIENREIZ_ANDROID_PACKAGE"), "Android app the https /open/ links open (App Links, /.well-known/assetlinks.json), e.g. lv.vienreiz.app; with -android-cert-sha256 (VIENREIZ_ANDROID_PACKAGE)")
	fs.Func("android-cert-sha256", "SHA-256 fingerprint(s) of the Android app's signing certificate, AB:CD:…, comma-separated (VIENREIZ_ANDROID_CERT_SHA256)", listInto(&f.AppLinks.AndroidCertSHA256))
	fs.Func("apple-app-id", "iOS app(s) the https /open/ links open (Universal Links, /.well-known/apple-app-site-association), TEAMID.BUNDLEID, comma-separated (VIENREIZ_APPLE_APP_ID)", listInto(&f.AppLinks.AppleAppIDs))
	_ = listInto(&f.AppLinks.AndroidCertSHA256)(os.Getenv("VIENREIZ_ANDROID_CERT_SHA256"))
	_ = listInto(&f.AppLinks.AppleAppIDs)(os.Getenv("VIENREIZ_APPLE_APP_ID"))
}

// Config returns the exchange service configuration, with the default
// data directory when neither a folder nor a database was given.
func (f *ServiceFlags) Config(log *slog.Logger) (exchange.Config, error) {
	cfg := exchange.Config{Listen: f.Listen, DataDir: f.DataDir, Database: f.Database, Logger: log,
		TLSCert: f.TLSCert, TLSKey: f.TLSKey, Limits: f.Limits, MaxEvidenceSize: f.MaxEvidenceSize}
	cfg.HandoffKey = f.HandoffKey
	if f.HandoffKeyFile != "" {
		key, err := readKeyFile(f.HandoffKeyFile)
		if err != nil {
			return cfg, fmt.Errorf("-handoff-key-file: %w", err)
		}
		cfg.HandoffKey = key
	}
	links, err := f.AppLinks.Normalized()
	if err != nil {
		return cfg, err
	}
	cfg.AppLinks = links
	cfg.EvidenceKey = f.EvidenceKey
	if f.EvidenceKeyFile != "" {
		key, err := readKeyFile(f.EvidenceKeyFile)
		if err != nil {
			return cfg, fmt.Errorf("-evidence-key-file: %w", err)
		}
		cfg.EvidenceKey = key
	}
	if f.Network != "" && f.MemberState != "" {
		return cfg, fmt.Errorf("-network and -member-state (the demo) exclude each other")
	}
	if f.Network != "" {
		n, err := network.Load(f.Network, network.Options{})
		if err != nil {
			return cfg, err
		}
		cfg.Network = n
	} else {
		if f.DemoPasswordFile != "" {
			b, err := os.ReadFile(f.DemoPasswordFile)
			if err != nil {
				return cfg, fmt.Errorf("-demo-password-file: %w", err)
			}
			if f.DemoPassword = strings.TrimSpace(string(b)); f.DemoPassword == "" {
				return cfg, fmt.Errorf("-demo-password-file: %s is empty", f.DemoPasswordFile)
			}
		}
		demo, err := demoNetwork(f.MemberState, f.DemoPassword)
		if err != nil {
			return cfg, err
		}
		cfg.Network = demo
	}
	if err := f.loadDemoTokens(log); err != nil {
		return cfg, err
	}
	if _, err := demoTokens(f.DemoTokens); err != nil {
		return cfg, err
	}
	if cfg.DataDir == "" && cfg.Database == "" {
		d, err := device.DataDir()
		if err != nil {
			return cfg, err
		}
		cfg.DataDir = d
	}
	return cfg, nil
}

// listInto sets *list to a comma-separated value's items.
func listInto(list *[]string) func(string) error {
	return func(v string) error {
		*list = nil
		for _, item := range strings.Split(v, ",") {
			if item = strings.TrimSpace(item); item != "" {
				*list = append(*list, item)
			}
		}
		return nil
	}
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// Identity starts sign-in for the service cfg describes (see
// StartIdentity): the provider of -oidc-issuer, or the development provider
// unless cfg's network is a real one; the demo tokens are accepted too.
func (f *ServiceFlags) Identity(ctx context.Context, cfg exchange.Config, log *slog.Logger) (*Identity, error) {
	demo, err := demoTokens(f.DemoTokens)
	if err != nil {
		return nil, err
	}
	p := identity.Provider{Issuer: f.OIDCIssuer, ClientID: f.OIDCClientID}
	if n, ok := cfg.Network.(*network.Network); ok && p.Issuer == "" {
		p = n.File.Identity // the network file's provider
	}
	return StartIdentity(ctx, p, !isDemoNetwork(cfg.Network), f.DevIdPListen, cfg.DataDir, demo, log)
}

// loadDemoTokens reads -demo-tokens-file, and warns about tokens given
// on the command line or in a file others may read.
func (f *ServiceFlags) loadDemoTokens(log *slog.Logger) error {
	if f.demoTokensOnCommandLine {
		log.Warn("-demo-tokens on the command line: every user of this machine can read the tokens (ps, /proc/PID/cmdline); use VIENREIZ_DEMO_TOKENS or -demo-tokens-file")
	}
	if f.DemoTokensFile == "" {
		return nil
	}
	if f.demoTokensOnCommandLine {
		return fmt.Errorf("-demo-tokens and -demo-tokens-file: give one")
	}
	info, err := os.Stat(f.DemoTokensFile)
	if err != nil {
		return fmt.Errorf("-demo-tokens-file: %w", err)
	}
	if info.Mode().Perm()&0o077 != 0 {
		log.Warn("-demo-tokens-file is readable by others; make it 0600", "file", f.DemoTokensFile, "mode", info.Mode().Perm().String())
	}
	b, err := os.ReadFile(f.DemoTokensFile)
	if err != nil {
		return fmt.Errorf("-demo-tokens-file: %w", err)
	}
	f.DemoTokens = strings.TrimSpace(string(b))
	return nil
}

// demoTokens parses "citizen=TOKEN,…,clerk=TOKEN"; "" gives none. Each
// citizen token is the next demo citizen (Jānis first), as sign-in with
// the development provider would give each person their own identity.
func demoTokens(s string) (exchange.BearerTokens, error) {
	if s == "" {
		return nil, nil
	}
	citizens := demoCitizens()
	out := exchange.BearerTokens{}
	for _, pair := range strings.Split(s, ",") {
		role, token, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if !ok || (role != "citizen" && role != "clerk") || len(token) < 16 {
			return nil, fmt.Errorf("-demo-tokens: %q is not citizen=TOKEN or clerk=TOKEN with a token of at least 16 characters", pair)
		}
		if _, dup := out[token]; dup {
			return nil, fmt.Errorf("-demo-tokens: a token is given twice")
		}
		if role == "clerk" {
			out[token] = exchange.DemoClerk()
			continue
		}
		if len(citizens) == 0 {
			return nil, fmt.Errorf("-demo-tokens: more citizen tokens than demo citizens (%d)", len(demoCitizens()))
		}
		out[token], citizens = citizens[0], citizens[1:]
	}
	return out, nil
}

// readKeyFile reads a 32-byte key written as 64 hex digits.
func readKeyFile(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(data)))
	if err != nil || len(key) != 32 {
		return nil, fmt.Errorf("%s does not hold 64 hex digits (a 32-byte key)", path)
	}
	return key, nil
}
