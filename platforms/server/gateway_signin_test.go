package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/identity"
	"github.com/vienreiz/vienreiz/identity/devidp"
	"github.com/vienreiz/vienreiz/identity/devidp/devidptest"
	"github.com/vienreiz/vienreiz/oots/as4/pmode/demo"
	"github.com/vienreiz/vienreiz/oots/network/networktest"
)

// Claim names of the stand-in national eID gateway: eIDAS attribute URIs,
// not the development provider's names, so only the network file's
// [identity.claims] mapping makes them the person's attributes.
var gatewayClaims = identity.Claims{
	Identifier:  "http://eidas.europa.eu/attributes/naturalperson/PersonIdentifier",
	GivenName:   "http://eidas.europa.eu/attributes/naturalperson/CurrentGivenName",
	FamilyName:  "http://eidas.europa.eu/attributes/naturalperson/CurrentFamilyName",
	DateOfBirth: "http://eidas.europa.eu/attributes/naturalperson/DateOfBirth",
}

// TestServerWithANetworkFileSignsInThroughTheConfiguredProvider: a
// vienreiz-server process configured by a network file whose [identity]
// section names an OpenID Connect provider outside the process (a zitadel
// op standing in for the national eID gateway, with eIDAS attribute URIs
// as claim names and its own accounts) starts no development provider
// and trusts that one: a person signed in there is known to the service by
// the mapped attributes (a mandate they give carries their identifier and
// name), while a token of a development provider, and an altered token,
// get 401. The same network file without [identity] is refused at start:
// the development provider is not allowed with a network file.
func TestServerWithANetworkFileSignsInThroughTheConfiguredProvider(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	ctx := context.Background()
	quiet := slog.New(slog.DiscardHandler)
	gateway, err := devidp.Start(ctx, devidp.Options{Log: quiet, Claims: gatewayClaims, People: []devidp.Person{
		{Username: "ilze", Identifier: "LV/LV/31128512345", GivenName: "Ilze", FamilyName: "Vītola", DateOfBirth: "1985-12-31"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer gateway.Close(ctx)
	other, err := devidp.Start(ctx, devidp.Options{Log: quiet}) // a development provider the file does not name
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(ctx)

	s, err := demo.New(demo.Options{RequesterName: "LV", ProviderName: "DE"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := networktest.WriteSide(dir, s.Requester, s.PKI, networkPassword); err != nil {
		t.Fatal(err)
	}
	t.Setenv("VIENREIZ_TEST_KEY_PASSWORD", networkPassword)
	addrs := freeAddrs(t, 2)
	base := fmt.Sprintf(`
[party]
name = "LV"
authority_id = "40003245752"
authority_name = "Test intermediary platform"

[[access_points]]
name = "a1"
url = "http://%[1]s/as4"
listen = "%[1]s"
[access_points.identity]
file = "ap.p12"
alias = "ap"
password_env = "VIENREIZ_TEST_KEY_PASSWORD"

[trust]
files = ["oots-ca.pem"]

[pmodes]
file = "pmodes.json"
default_partner = "DE"

[directory]
url = "http://%[2]s"
`, addrs[0], addrs[1])
	section := fmt.Sprintf(`
[identity]
issuer = %q
client_id = %q

[identity.claims]
identifier = %q
given_name = %q
family_name = %q
date_of_birth = %q
`, gateway.Issuer(), devidp.ClientID, gatewayClaims.Identifier, gatewayClaims.GivenName, gatewayClaims.FamilyName, gatewayClaims.DateOfBirth)
	withGateway, without := filepath.Join(dir, "with-gateway.toml"), filepath.Join(dir, "without-provider.toml")
	write(t, withGateway, base+section)
	write(t, without, base)

	p := startProcess(t, "exchange service listening", "-listen", "127.0.0.1:0", "-network", withGateway, "-data-dir", filepath.Join(dir, "state"))
	defer p.stop()
	var signIn struct {
		Issuer              string
		DevelopmentProvider bool `json:"development_provider"`
	}
	_ = json.Unmarshal([]byte(p.logLine("sign-in", 20*time.Second)), &signIn)
	if signIn.Issuer != gateway.Issuer() || signIn.DevelopmentProvider || strings.Contains(p.log(), "DEVELOPMENT ONLY") {
		t.Fatalf("the server signs in with %+v, want the gateway %s and no development provider; log:\n%s", signIn, gateway.Issuer(), p.log())
	}

	tok, err := devidptest.SignIn(ctx, gateway.Issuer(), "ilze", "")
	if err != nil {
		t.Fatal(err)
	}
	ilze := client.New(p.url).WithToken(tok.AccessToken)
	m, err := ilze.GiveMandate(ctx, api.NewMandate{Representative: "LV/LV/12087510402", RepresentativeName: "Līga Kalniņa", ValidUntil: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatalf("a person signed in at the gateway: %v", err)
	}
	if m.Represented != "LV/LV/31128512345" || m.RepresentedName != "Ilze Vītola" {
		t.Fatalf("the service knows the gateway's person as %q %q, want the mapped identifier and names", m.Represented, m.RepresentedName)
	}
	devTok, err := devidptest.SignIn(ctx, other.Issuer(), "janis", "")
	if err != nil {
		t.Fatal(err)
	}
	for name, token := range map[string]string{"a development provider's token": devTok.AccessToken, "an altered token": tok.AccessToken + "x", "no token": ""} {
		req, _ := http.NewRequest("GET", p.url+"/v1/requests", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: %d, want 401", name, resp.StatusCode)
		}
	}

	cmd := exec.Command(os.Args[0], "-log-json", "-listen", "127.0.0.1:0", "-network", without, "-data-dir", filepath.Join(dir, "state2"))
	cmd.Env = append(os.Environ(), serverEnv+"=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("a server with a network file and no provider kept running:\n%s", stderr.String())
	}
	if code := cmd.ProcessState.ExitCode(); code == 0 || !strings.Contains(stderr.String(), "refused in production") {
		t.Fatalf("without a provider in the network file: exit %d, %q; want a refusal of the development provider", code, stderr.String())
	}
}
