package requester

import (
	"context"
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/oots/as4/pmode/demo"
)

// TestConfigRefused: New names every missing piece of the configuration.
func TestConfigRefused(t *testing.T) {
	s, err := demo.New(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	good := func() Config {
		return Config{
			PModes: s.Requester.Config, Identity: s.Requester.Identity, Trust: s.Requester.Trust,
			Dir: t.TempDir(), OnAnswer: func(context.Context, Answer) error { return nil }, Logger: quietLogger(),
		}
	}
	tests := []struct {
		name string
		edit func(c *Config)
		want string
	}{
		{"no P-Modes", func(c *Config) { c.PModes = nil }, "PModes: missing"},
		{"no identity", func(c *Config) { c.Identity.Key = nil }, "Identity"},
		{"no trust", func(c *Config) { c.Trust = nil }, "Trust"},
		{"no folder", func(c *Config) { c.Dir = "" }, "Dir"},
		{"no callback", func(c *Config) { c.OnAnswer = nil }, "OnAnswer"},
		{"unknown default party", func(c *Config) { c.DefaultParty = "XX" }, "DefaultParty"},
		{"negative retention", func(c *Config) { c.Retention = -1 }, "Retention"},
		{"negative interval", func(c *Config) { c.ResendInterval = -1 }, "ResendInterval"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good()
			tt.edit(&c)
			_, err := New(context.Background(), c)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v; want one naming %q", err, tt.want)
			}
		})
	}
	r, err := New(context.Background(), good())
	if err != nil {
		t.Fatalf("good config: %v", err)
	}
	defer r.Close()
	if n := len(r.AS4Handlers()); n != 2 {
		t.Fatalf("%d AS4 handlers, want one per demo endpoint (2)", n)
	}
}

// TestSendUnknownProvider: a DSD party id the P-Modes do not know is
// refused before anything is queued.
func TestSendUnknownProvider(t *testing.T) {
	s, err := demo.New(demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(context.Background(), Config{
		PModes: s.Requester.Config, Identity: s.Requester.Identity, Trust: s.Requester.Trust,
		Dir: t.TempDir(), OnAnswer: func(context.Context, Answer) error { return nil }, Logger: quietLogger(),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	_, err = r.Send(context.Background(), testQuery())
	if err == nil || !strings.Contains(err.Error(), "Provider.PartyID") {
		t.Fatalf("send to an unknown party: %v", err)
	}
	if e, err := r.db.Pending(context.Background(), 10); err != nil || len(e) != 0 {
		t.Fatalf("outbox after a refused request: %d entries (%v), want none", len(e), err)
	}
}
