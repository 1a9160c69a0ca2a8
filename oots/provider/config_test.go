package provider

import (
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/oots/as4/pmode/demo"
	"github.com/vienreiz/vienreiz/oots/commonsvc/demodir"
)

// TestNewRefusesBadConfig: each missing or wrong field is named.
func TestNewRefusesBadConfig(t *testing.T) {
	setup, err := demo.New(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir, err := demodir.Directory()
	if err != nil {
		t.Fatal(err)
	}
	good := func() Config {
		return Config{PModes: setup.Provider.Config, Identity: setup.Provider.Identity, Trust: setup.Provider.Trust,
			Directory: dir, Dir: t.TempDir(), PreviewURL: "https://127.0.0.1:8493/preview"}
	}
	for _, tc := range []struct {
		name, want string
		mod        func(c *Config)
	}{
		{"no pmodes", "PModes", func(c *Config) { c.PModes = nil }},
		{"no identity", "Identity", func(c *Config) { c.Identity.Key = nil }},
		{"no trust", "Trust", func(c *Config) { c.Trust = nil }},
		{"no directory", "Directory", func(c *Config) { c.Directory = nil }},
		{"no state folder", "Dir", func(c *Config) { c.Dir = "" }},
		{"attack: http preview", "PreviewURL", func(c *Config) { c.PreviewURL = "http://127.0.0.1/preview" }},
		{"attack: javascript preview", "PreviewURL", func(c *Config) { c.PreviewURL = "javascript:alert(1)" }},
		{"negative ttl", "PreviewTTL", func(c *Config) { c.PreviewTTL = -1 }},
		{"unknown country", "countries", func(c *Config) { c.Countries = []string{"XX"} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := good()
			tc.mod(&c)
			p, err := New(c)
			if err == nil {
				p.Close()
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not name %s", err, tc.want)
			}
		})
	}
	p, err := New(good())
	if err != nil {
		t.Fatal(err)
	}
	if len(p.AS4Handlers()) != 2 || p.AS4Handler() == nil || p.PreviewHandler() == nil {
		t.Fatalf("listeners: %d", len(p.AS4Handlers()))
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}
