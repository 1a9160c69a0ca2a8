package requester

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

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

// TestVerifyAtIsTheTimeOfCertificateChecks: Config.VerifyAt is the time
// the provider's certificate is checked at, apart from the message clock.
// A provider certificate that expired a year ago is refused before
// anything leaves; with VerifyAt inside its validity (a saved outbox
// processed as at the time it was written) the request is encrypted for
// it and posted.
func TestVerifyAtIsTheTimeOfCertificateChecks(t *testing.T) {
	var posts atomic.Int32
	ap := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		posts.Add(1)
		http.Error(w, "busy", http.StatusServiceUnavailable)
	}))
	defer ap.Close()
	then := time.Now().AddDate(-2, 0, 0)
	s, err := demo.New(demo.Options{Now: then, ProviderEndpoints: []string{ap.URL + "/as4"}})
	if err != nil {
		t.Fatal(err)
	}
	send := func(verifyAt func() time.Time) error {
		r, err := New(context.Background(), Config{
			PModes: s.Requester.Config, Identity: s.Requester.Identity, Trust: s.Requester.Trust, DefaultParty: s.Provider.Config.Self,
			Dir: t.TempDir(), OnAnswer: func(context.Context, Answer) error { return nil }, Logger: quietLogger(), VerifyAt: verifyAt,
		})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, err = r.Send(ctx, testQuery())
		return err
	}
	if err := send(nil); err == nil || errors.Is(err, ErrQueued) || !strings.Contains(err.Error(), "expired") || posts.Load() != 0 {
		t.Fatalf("now: %v, %d posts; want the expired provider certificate refused before anything leaves", err, posts.Load())
	}
	if err := send(func() time.Time { return then.Add(time.Hour) }); !errors.Is(err, ErrQueued) || posts.Load() == 0 {
		t.Fatalf("at a time the certificate was valid: %v, %d posts; want it posted and queued", err, posts.Load())
	}
}
