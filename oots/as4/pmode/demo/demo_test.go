package demo

import (
	"crypto/x509"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4/pmode"
)

var refTime = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func TestNewTwoParties(t *testing.T) {
	s, err := New(Options{Now: refTime})
	if err != nil {
		t.Fatal(err)
	}
	if s.Requester.Config.Self != "LV" || s.Provider.Config.Self != "DEMO" {
		t.Fatalf("self = %q, %q", s.Requester.Config.Self, s.Provider.Config.Self)
	}
	for _, side := range []Side{s.Requester, s.Provider} {
		c := side.Config
		for _, name := range []string{"LV", "DEMO"} {
			if n := len(c.Parties[name].Endpoints); n != 2 {
				t.Errorf("%s sees %s with %d endpoints, want 2", c.Self, name, n)
			}
			if c.Parties[name].Cert == nil {
				t.Errorf("%s sees %s without certificate", c.Self, name)
			}
		}
		req, err := c.Find(Service, ActionRequest, "DEMO")
		if err != nil || req.ID != RequestPMode || req.Initiator.Party != "LV" {
			t.Errorf("%s: request P-Mode %v, %v", c.Self, req, err)
		}
		for _, a := range []string{ActionResponse, ActionException} {
			if pm, err := c.Match("DEMO", "LV", Service, a); err != nil || pm.ID != ResponsePMode {
				t.Errorf("%s: %s P-Mode %v, %v", c.Self, a, pm, err)
			}
		}
		if req.Security != pmode.DefaultSecurity() || !req.Compress {
			t.Errorf("security %+v compress %v", req.Security, req.Compress)
		}
		if err := c.Validate(); err != nil {
			t.Error(err)
		}
	}
	// Each side trusts the other's certificate for signing and encryption.
	usage := x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment
	if err := s.Requester.Trust.VerifyKeyUsage(s.Provider.Identity.Cert, refTime, usage); err != nil {
		t.Errorf("requester does not trust provider: %v", err)
	}
	if err := s.Provider.Trust.VerifyKeyUsage(s.Requester.Identity.Cert, refTime, usage); err != nil {
		t.Errorf("provider does not trust requester: %v", err)
	}
	if !s.Requester.Config.Parties["LV"].Cert.Equal(s.Requester.Identity.Cert) {
		t.Error("party certificate is not the identity's")
	}
}

func TestOptions(t *testing.T) {
	ids := []pmode.PartyID{{Value: "AP_EE_01", Type: PartyIDType}, {Value: "demo-ee-rik", Type: "urn:oasis:names:tc:ebcore:partyid-type:unregistered"}}
	s, err := New(Options{Now: refTime, ProviderName: "EE", ProviderIDs: ids,
		ProviderEndpoints: []string{"https://a.ee.example/as4", "https://b.ee.example/as4"}})
	if err != nil {
		t.Fatal(err)
	}
	c := s.Requester.Config
	if p := c.PartyByID("demo-ee-rik", "urn:oasis:names:tc:ebcore:partyid-type:unregistered"); p == nil || p.Name != "EE" {
		t.Errorf("directory party id does not resolve to EE: %v", p)
	}
	if got := c.Parties["EE"].Endpoints[1]; got != "https://b.ee.example/as4" {
		t.Errorf("failover endpoint = %q", got)
	}
	ids[0].Value = "changed"
	if c.Parties["EE"].IDs[0].Value != "AP_EE_01" {
		t.Error("configuration shares the caller's slice")
	}
	if _, err := New(Options{Now: refTime, ProviderName: "LV"}); err == nil {
		t.Error("same name for both parties accepted")
	}
	if _, err := New(Options{Now: refTime, ProviderEndpoints: []string{"ftp://x"}}); err == nil {
		t.Error("invalid endpoint accepted")
	}
}

func TestWriteAndLoadFiles(t *testing.T) {
	s, err := New(Options{Now: refTime})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := s.WriteFiles(dir, "demo-pass"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"LV", "DEMO"} {
		for _, f := range []string{PModeFile, KeystoreFile, TruststoreFile, CAFile} {
			st, err := os.Stat(filepath.Join(dir, name, f))
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode().Perm() != 0o600 {
				t.Errorf("%s/%s has mode %v, want 0600", name, f, st.Mode().Perm())
			}
		}
	}
	lv, err := LoadSide(filepath.Join(dir, "LV"), "demo-pass")
	if err != nil {
		t.Fatal(err)
	}
	if !lv.Identity.Cert.Equal(s.Requester.Identity.Cert) || len(lv.Identity.Chain) != 2 {
		t.Errorf("loaded identity %v chain %d", lv.Identity.Cert.Subject, len(lv.Identity.Chain))
	}
	if lv.Config.Self != "LV" || !lv.Config.Parties["DEMO"].Cert.Equal(s.Provider.Identity.Cert) {
		t.Error("loaded configuration differs")
	}
	if err := lv.Trust.Verify(s.Provider.Identity.Cert, refTime); err != nil {
		t.Errorf("loaded trust store does not trust the provider: %v", err)
	}
	if _, err := LoadSide(filepath.Join(dir, "LV"), "wrong"); err == nil {
		t.Error("wrong password accepted")
	}
}
