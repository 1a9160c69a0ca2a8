package network_test

import (
	"bytes"
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4/keys"
	"github.com/vienreiz/vienreiz/oots/as4/pmode"
	"github.com/vienreiz/vienreiz/oots/as4/pmode/demo"
	"github.com/vienreiz/vienreiz/oots/network"
	"github.com/vienreiz/vienreiz/oots/network/networktest"
)

const examplePassword = "example-store-password"

// exampleEnv is the environment the example's password_env names.
func exampleEnv(k string) string {
	if k == "VIENREIZ_AP_PASSWORD" {
		return examplePassword
	}
	return ""
}

// example copies docs/network.example.toml into a folder beside the key
// files it names, made now by a test CA, and returns the copy's path and
// the setup.
func example(t *testing.T) (string, *demo.Setup) {
	t.Helper()
	text, err := os.ReadFile("../../docs/network.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	s, err := demo.New(demo.Options{RequesterName: "LV", ProviderName: "DE",
		RequesterEndpoints: []string{"https://ap1.vienreiz.example.lv/as4", "https://ap2.vienreiz.example.lv/as4"},
		ProviderEndpoints:  []string{"https://ap.oots.example.de/as4"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := networktest.WriteSide(filepath.Join(dir, "network-example"), s.Requester, s.PKI, examplePassword); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "network.toml")
	if err := os.WriteFile(path, text, 0o600); err != nil {
		t.Fatal(err)
	}
	return path, s
}

func TestTheExampleLoadsAndDescribesThePlan(t *testing.T) {
	path, s := example(t)
	n, err := network.Load(path, network.Options{Getenv: exampleEnv})
	if err != nil {
		t.Fatal(err)
	}
	if n.PModes.Self != "LV" || len(n.Identities) != 2 || !n.Identities[1].Cert.Equal(s.Requester.Identity.Cert) {
		t.Fatalf("loaded self %q with %d identities", n.PModes.Self, len(n.Identities))
	}
	self, _ := n.PModes.Party("LV")
	if strings.Join(self.Endpoints, " ") != "https://ap1.vienreiz.example.lv/as4 https://ap2.vienreiz.example.lv/as4" {
		t.Errorf("our endpoints are %v, not the access points' URLs", self.Endpoints)
	}
	if a := n.Authority(); a.ID != "40003245752" || a.Scheme != "urn:cef.eu:names:identifier:EAS:9939" {
		t.Errorf("authority %+v", a)
	}
	if n.File.Preview.ReturnBaseURL != "https://vienreiz.example.lv" {
		t.Errorf("preview return base URL %q", n.File.Preview.ReturnBaseURL)
	}
	if got := n.Served(); len(got) != 1 || got[0] != 0 {
		t.Errorf("served access points %v; want [0]", got)
	}
	var out bytes.Buffer
	if err := n.Describe(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`Our party "LV"`, "ap1-riga  https://ap1.vienreiz.example.lv/as4  (served here on 0.0.0.0:8443)",
		"ap2-valmiera", "served by another process", "subject CN=LV", "issuer CN=" + s.PKI.Issuer.Subject.CommonName,
		"DE (default partner)", "endpoint 1: https://ap.oots.example.de/as4", "oots-request: LV -> DE", "ExecuteQueryRequest",
		"https://oots-commons.example.eu", "valid until",
		"Previews: citizens open them in the browser and come back to https://vienreiz.example.lv/open/requests/ID",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("plan lacks %q:\n%s", want, out.String())
		}
	}
}

func TestEveryBadFieldIsNamed(t *testing.T) {
	path, s := example(t)
	dir := filepath.Dir(path)
	text, _ := os.ReadFile(path)
	expired, err := s.PKI.Issue("LV", 1) // testpki.Expired
	if err != nil {
		t.Fatal(err)
	}
	p12, err := keys.EncodePKCS12(expired, examplePassword)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "expired.p12"), p12, 0o600)
	pm, _ := os.ReadFile(filepath.Join(dir, "network-example", networktest.PModeFile))
	os.WriteFile(filepath.Join(dir, "unknown-party.json"), bytes.Replace(pm, []byte(`"party": "DE"`), []byte(`"party": "FR"`), 1), 0o600)
	tests := []struct {
		name, old, new, want string
		env                  func(string) string
	}{
		{"missing key", `"network-example/ap.p12"`, `"network-example/nothing.p12"`, "access_points[0].identity.file: ", nil},
		{"wrong password", "", "", "access_points[0].identity: wrong password", func(string) string { return "not-the-password" }},
		{"password variable not set", "", "", "access_points[0].identity.password_env: environment variable VIENREIZ_AP_PASSWORD is not set", func(string) string { return "" }},
		{"expired own certificate", `"network-example/ap.p12"`, `"expired.p12"`, "access_points[0].identity: certificate \"CN=LV", nil},
		{"P-Mode names an unknown party", `"network-example/pmodes.json"`, `"unknown-party.json"`, "pmodes.file: ", nil},
		{"password in the file", `password_env = "VIENREIZ_AP_PASSWORD"         # or`, `password = "secret" # or`, "access_points[0].identity.password: passwords are not written in the network file", nil},
		{"unknown field", `[party]`, "[party]\ncolour = \"red\"", "unknown field party.colour", nil},
		{"unknown default partner", `default_partner = "DE"`, `default_partner = "XX"`, `pmodes.default_partner: no party "XX"`, nil},
		{"our party not in the P-Modes", `name = "LV"`, `name = "EE"`, `party.name: the P-Modes (pmodes.file) have no party "EE"`, nil},
		{"not a URL", `url = "https://oots-commons.example.eu"`, `url = "oots-commons"`, `directory.url: "oots-commons" is not an http or https URL`, nil},
		{"bad duration", `resend = "1m"`, `resend = "soon"`, "timeouts.resend", nil},
		{"bad listen", `listen = "0.0.0.0:8443"`, `listen = "8443"`, "access_points[0].listen", nil},
		{"no trust", `files = ["network-example/oots-ca.pem"]`, `files = []`, "trust.files: missing", nil},
		{"preview return not a URL", `return_base_url = "https://vienreiz.example.lv"`, `return_base_url = "vienreiz.example.lv"`, `preview.return_base_url: "vienreiz.example.lv" is not an http or https URL`, nil},
		{"preview return over http", `return_base_url = "https://vienreiz.example.lv"`, `return_base_url = "http://vienreiz.example.lv"`, `preview.return_base_url: "http://vienreiz.example.lv": citizens' browsers come back over https`, nil},
		{"preview return with a query", `return_base_url = "https://vienreiz.example.lv"`, `return_base_url = "https://vienreiz.example.lv/?a=b"`, `preview.return_base_url: "https://vienreiz.example.lv/?a=b" is a base URL: no query or fragment`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !bytes.Contains(text, []byte(tt.old)) {
				t.Fatalf("the example has no %q", tt.old)
			}
			bad := filepath.Join(dir, "bad.toml")
			os.WriteFile(bad, bytes.Replace(text, []byte(tt.old), []byte(tt.new), 1), 0o600)
			env := tt.env
			if env == nil {
				env = exampleEnv
			}
			_, err := network.Load(bad, network.Options{Getenv: env})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load = %v\nwant an error containing %q", err, tt.want)
			}
		})
	}
}

func TestACertificateValidLaterIsRefusedNow(t *testing.T) {
	path, _ := example(t)
	_, err := network.Load(path, network.Options{Getenv: exampleEnv, Now: time.Now().Add(-72 * time.Hour)})
	if err == nil || !strings.Contains(err.Error(), "is not valid before") {
		t.Fatalf("Load three days ago = %v; want the certificate named not yet valid", err)
	}
}

// TestDomibusPModesFromTheNetworkFile: a network file whose partners come
// from a Domibus P-Mode XML ([pmodes] domibus) and whose partners'
// certificates come from a JKS trust store, one entry per party alias.
// The parties and P-Modes are those of the XML, our party gets our access
// points and key, every partner its certificate; a broken XML, a partner
// without a certificate and our party missing from the XML are each named
// with their field path.
func TestDomibusPModesFromTheNetworkFile(t *testing.T) {
	path, s := example(t)
	dir := filepath.Dir(path)
	xml, err := os.ReadFile("../as4/pmode/domibus/testdata/network.xml")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "domibus-pmode.xml"), xml, 0o600)
	partners := map[string]*x509.Certificate{}
	for _, name := range []string{"ee_ap", "fi_ap"} {
		id, err := s.PKI.Issue(name, 0)
		if err != nil {
			t.Fatal(err)
		}
		partners[name] = id.Cert
	}
	writeTrust := func(name string, certs map[string]*x509.Certificate) {
		var jks bytes.Buffer
		if err := keys.WriteJKS(&jks, examplePassword, "", keys.Identity{}, "", certs); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, name), jks.Bytes(), 0o600)
	}
	writeTrust("partners.jks", partners)
	writeTrust("only-ee.jks", map[string]*x509.Certificate{"ee_ap": partners["ee_ap"]})
	example, _ := os.ReadFile(path)
	text := replaceAll(t, string(example),
		`name = "LV"`, `name = "lv_ap"`,
		`file = "network-example/pmodes.json"          # our P-Mode format`, `domibus = "domibus-pmode.xml"`,
		`default_partner = "DE"`, `default_partner = "ee_ap"`,
		`files = ["network-example/oots-ca.pem"]`, `files = ["network-example/oots-ca.pem", "partners.jks"]`+"\npassword_env = \"VIENREIZ_AP_PASSWORD\"",
	)
	domibusFile := filepath.Join(dir, "domibus.toml")
	os.WriteFile(domibusFile, []byte(text), 0o600)
	n, err := network.Load(domibusFile, network.Options{Getenv: exampleEnv})
	if err != nil {
		t.Fatal(err)
	}
	c := n.PModes
	if c.Self != "lv_ap" || strings.Join(c.PartyNames(), " ") != "ee_ap fi_ap lv_ap" || len(c.PModes) != 10 {
		t.Fatalf("self %q, parties %v, %d P-Modes; want lv_ap of ee_ap fi_ap lv_ap, 10 P-Modes", c.Self, c.PartyNames(), len(c.PModes))
	}
	self, _ := c.Party("lv_ap")
	if strings.Join(self.Endpoints, " ") != "https://ap1.vienreiz.example.lv/as4 https://ap2.vienreiz.example.lv/as4" || !self.Cert.Equal(s.Requester.Identity.Cert) {
		t.Errorf("our party: endpoints %v, certificate %v; want our access points and key", self.Endpoints, self.Cert.Subject)
	}
	for name, cert := range partners {
		if p, _ := c.Party(name); p == nil || !p.Cert.Equal(cert) {
			t.Errorf("partner %s has not the trust store's certificate of alias %s", name, name)
		}
	}
	req, err := c.Find("QueryManager", "ExecuteQueryRequest", "ee_ap")
	if err != nil || req.ID != "request@lv_ap>ee_ap" || req.Security.KeyInfo != pmode.KeyInfoBST || !req.Security.Encrypt {
		t.Fatalf("request P-Mode to ee_ap: %+v, %v; want request@lv_ap>ee_ap, encrypted, BST key info (Domibus _BST policy)", req, err)
	}
	var plan bytes.Buffer
	n.Describe(&plan)
	for _, want := range []string{"ee_ap (default partner)", "endpoint 1: https://ap.ee.example/domibus/services/msh", "request@lv_ap>ee_ap: lv_ap -> ee_ap"} {
		if !strings.Contains(plan.String(), want) {
			t.Errorf("plan lacks %q:\n%s", want, plan.String())
		}
	}

	for _, tc := range []struct{ name, file, xml, old, new, want string }{
		{"broken Domibus XML", "broken.xml", strings.Replace(string(xml), `security="signOnly"`, `security="nothing"`, 1),
			`domibus = "domibus-pmode.xml"`, `domibus = "broken.xml"`,
			`pmodes.domibus: domibus P-Mode: pmode: invalid configuration: legConfiguration "response" @security: unknown security "nothing"`},
		{"partner without a certificate", "", "", `"partners.jks"`, `"only-ee.jks"`,
			`pmodes.domibus: party "fi_ap" has no certificate: give it in the P-Modes or as a trust-store entry with alias "fi_ap"`},
		{"our party not in the XML", "", "", `name = "lv_ap"`, `name = "LV"`,
			`party.name: the P-Modes (pmodes.domibus) have no party "LV"; they know ee_ap, fi_ap, lv_ap`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.file != "" {
				os.WriteFile(filepath.Join(dir, tc.file), []byte(tc.xml), 0o600)
			}
			bad := filepath.Join(dir, "bad-domibus.toml")
			os.WriteFile(bad, []byte(replaceAll(t, text, tc.old, tc.new)), 0o600)
			_, err := network.Load(bad, network.Options{Getenv: exampleEnv})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Load = %v\nwant an error containing %q", err, tc.want)
			}
		})
	}
}

// replaceAll replaces each old/new pair once, failing when old is absent.
func replaceAll(t *testing.T, s string, pairs ...string) string {
	t.Helper()
	for i := 0; i < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			t.Fatalf("no %q to replace", pairs[i])
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return s
}

// TestVerifyAtIsTheTimeOfPartnerCertificateChecks: [trust] verify_at is
// the time partners' certificates are checked at, at start and in every
// AS4 exchange (requester.Config.VerifyAt), apart from the message clock;
// our own keys are still checked now. A bad time is named.
func TestVerifyAtIsTheTimeOfPartnerCertificateChecks(t *testing.T) {
	path, s := example(t)
	text, _ := os.ReadFile(path)
	at := func(when string) (*network.Network, error) {
		p := filepath.Join(filepath.Dir(path), "verify-at.toml")
		os.WriteFile(p, []byte(replaceAll(t, string(text), `[trust]`, "[trust]\nverify_at = \""+when+"\"")), 0o600)
		return network.Load(p, network.Options{Getenv: exampleEnv})
	}
	n, err := network.Load(path, network.Options{Getenv: exampleEnv})
	if err != nil || n.VerifyAt() != nil {
		t.Fatalf("without verify_at: %v; want certificates checked at the time of each check (nil)", err)
	}
	de, _ := n.PModes.Party("DE")
	late := de.Cert.NotAfter.Add(time.Hour).UTC().Format(time.RFC3339)
	if _, err := at(late); err == nil || !strings.Contains(err.Error(), `pmodes.file: party "DE": certificate`) {
		t.Fatalf("verify_at after the partner's certificate ended: %v; want it refused", err)
	}
	inside := s.PKI.Now.Add(time.Minute).UTC()
	n, err = at(inside.Format(time.RFC3339))
	if err != nil {
		t.Fatal(err)
	}
	if n.VerifyAt() == nil || !n.VerifyAt()().Equal(inside) {
		t.Fatalf("VerifyAt is not %v", inside)
	}
	var plan bytes.Buffer
	n.Describe(&plan)
	if want := "Partners' certificates are checked as at " + inside.Format(time.RFC3339); !strings.Contains(plan.String(), want) {
		t.Errorf("plan lacks %q:\n%s", want, plan.String())
	}
	if _, err := at("yesterday"); err == nil || !strings.Contains(err.Error(), `trust.verify_at: "yesterday" is not a time such as 2026-12-01T12:00:00Z`) {
		t.Fatalf("a bad verify_at: %v", err)
	}
}
