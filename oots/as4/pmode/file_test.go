package pmode

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4/keys"
	"github.com/vienreiz/vienreiz/oots/as4/keys/testpki"
)

func TestLoadExample(t *testing.T) {
	c, err := Load(filepath.Join("testdata", "two-parties.json"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Self != "LV" || len(c.Parties) != 2 || len(c.PModes) != 2 {
		t.Fatalf("loaded self %q, %d parties, %d P-Modes", c.Self, len(c.Parties), len(c.PModes))
	}
	lv := c.Parties["LV"]
	if want := []string{"https://ap1.vienreiz.example/as4", "https://ap2.vienreiz.example/as4"}; !reflect.DeepEqual(lv.Endpoints, want) {
		t.Errorf("LV endpoints = %v, want primary then failover %v", lv.Endpoints, want)
	}
	req := c.ByID("lv-demo-request")
	if req.Security != DefaultSecurity() {
		t.Errorf("omitted security = %+v, want the AS4 profile defaults", req.Security)
	}
	if req.Reliability != DefaultReliability() || !req.Compress || req.MaxPayloadSize != 100<<20 {
		t.Errorf("request P-Mode defaults wrong: %+v compress=%v max=%d", req.Reliability, req.Compress, req.MaxPayloadSize)
	}
	resp := c.ByID("demo-lv-response")
	if resp.Security.NonRepudiation || !resp.Security.Sign || resp.Security.KeyTransportMGF != AlgMGF1SHA256 {
		t.Errorf("partial security override: %+v", resp.Security)
	}
	wantRel := Reliability{RetryCount: 3, RetryInterval: 30 * time.Second, BackoffFactor: 1, ReceiptTimeout: DefaultReceiptTimeout, DuplicateDetection: true}
	if resp.Reliability != wantRel || resp.Compress {
		t.Errorf("response reliability = %+v compress=%v, want %+v and no compression", resp.Reliability, resp.Compress, wantRel)
	}
	if resp.MEP != MEPOneWay || resp.MEPBinding != MEPBindingPush {
		t.Errorf("default MEP %q binding %q", resp.MEP, resp.MEPBinding)
	}
	out, err := Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "two-parties.golden.json", out)
}

func TestMarshalRoundTrip(t *testing.T) {
	c, err := Load(filepath.Join("testdata", "two-parties.json"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := testpki.New(time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	id, err := p.Party("DEMO")
	if err != nil {
		t.Fatal(err)
	}
	c.Parties["DEMO"].Cert = id.Cert
	out, err := Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(out, "")
	if err != nil {
		t.Fatal(err)
	}
	if !back.Parties["DEMO"].Cert.Equal(id.Cert) {
		t.Error("inline certificate lost")
	}
	back.Parties["DEMO"].Cert = c.Parties["DEMO"].Cert
	if !reflect.DeepEqual(back, c) {
		t.Errorf("round trip changed the configuration:\n%+v\n%+v", back, c)
	}
}

func TestCertificateSources(t *testing.T) {
	p, err := testpki.New(time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	id, err := p.Party("DEMO")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "certs"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "certs", "demo.pem"), keys.EncodePEM(id.Cert), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "certs", "demo.der"), id.Cert.Raw, 0o644); err != nil {
		t.Fatal(err)
	}
	pemText, _ := json.Marshal(string(keys.EncodePEM(id.Cert)))
	tests := []struct {
		name    string
		cert    string // JSON members added to party DEMO
		baseDir string
		wantErr string
	}{
		{"relative PEM file", `"certificate": "certs/demo.pem"`, dir, ""},
		{"relative DER file", `"certificate": "certs/demo.der"`, dir, ""},
		{"absolute file", `"certificate": "` + filepath.Join(dir, "certs", "demo.pem") + `"`, dir, ""},
		{"inline PEM", `"certificatePEM": ` + string(pemText), "", ""},
		{"both", `"certificate": "certs/demo.pem", "certificatePEM": ` + string(pemText), dir, "parties[0].certificate: give either"},
		{"missing file", `"certificate": "certs/none.pem"`, dir, "parties[0].certificate"},
		{"file without base folder", `"certificate": "certs/demo.pem"`, "", "no base folder"},
		{"not a certificate", `"certificatePEM": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"`, "", "want CERTIFICATE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := strings.Replace(string(example(t)), `"name": "DEMO"`, `"name": "DEMO", `+tt.cert, 1)
			c, err := Parse([]byte(data), tt.baseDir)
			if tt.wantErr != "" {
				if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want ErrInvalid mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !c.Parties["DEMO"].Cert.Equal(id.Cert) {
				t.Error("certificate not loaded")
			}
		})
	}
}

// example returns testdata/two-parties.json with DEMO listed first, so
// "parties[0]" in errors is DEMO.
func example(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "two-parties.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fc map[string]any
	if err := json.Unmarshal(data, &fc); err != nil {
		t.Fatal(err)
	}
	ps := fc["parties"].([]any)
	ps[0], ps[1] = ps[1], ps[0]
	out, err := json.MarshalIndent(fc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestLoadErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.json")
	if err := os.WriteFile(big, []byte(`{"self": "`+strings.Repeat("x", MaxFileSize)+`"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"self": "LV", "parties": []}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path, want string
	}{
		{big, "larger than"},
		{bad, "parties: at least one party"},
		{filepath.Join(dir, "none.json"), "no such file"},
	}
	for _, tt := range tests {
		_, err := Load(tt.path)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), filepath.Base(tt.path)) {
			t.Errorf("Load(%s) = %v, want an error naming the file and %q", filepath.Base(tt.path), err, tt.want)
		}
	}
}
