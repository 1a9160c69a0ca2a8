package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/identity/devidp/devidptest"
)

// TestServerSignsInWithTheDevelopmentProvider: a vienreiz-server process
// without a provider runs the development provider, says so in its log,
// and accepts that provider's access tokens on the API (and no others).
func TestServerSignsInWithTheDevelopmentProvider(t *testing.T) {
	p := startServer(t, "-data-dir", t.TempDir(), "-dev-idp-listen", "127.0.0.1:0")
	defer p.stop()
	var issuer string
	for deadline := time.Now().Add(20 * time.Second); issuer == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		for _, line := range strings.Split(p.log(), "\n") {
			var rec struct {
				Msg, Issuer         string
				DevelopmentProvider bool `json:"development_provider"`
			}
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "sign-in" && rec.DevelopmentProvider {
				issuer = rec.Issuer
			}
		}
	}
	if issuer == "" {
		t.Fatalf("no sign-in line naming the development provider in the log:\n%s", p.log())
	}
	if !strings.Contains(p.log(), "DEVELOPMENT ONLY") {
		t.Errorf("the log does not say the provider is for development only")
	}
	tok, err := devidptest.SignIn(context.Background(), issuer, "mari", "")
	if err != nil {
		t.Fatal(err)
	}
	for token, want := range map[string]int{tok.AccessToken: http.StatusOK, tok.AccessToken + "x": http.StatusUnauthorized, citizenToken: http.StatusOK} {
		req, _ := http.NewRequest("GET", p.url+"/v1/requests", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET /v1/requests with token %.12s…: %d, want %d", token, resp.StatusCode, want)
		}
	}
}
