package as4_test

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4/keys"
	"github.com/vienreiz/vienreiz/oots/as4/keys/testpki"
)

// TestSenderRefusesABadRecipientCertificateBeforeSending: an expired, a
// not yet valid and an untrusted recipient certificate are each refused
// with a clear error, and no request reaches the access point.
func TestSenderRefusesABadRecipientCertificateBeforeSending(t *testing.T) {
	for _, tt := range []struct {
		name, want string
		cert       func(w *world) *keys.Identity
	}{
		{"expired", "expired on", func(w *world) *keys.Identity { id, _ := w.pki.Issue("AP_DE_01", testpki.Expired); return &id }},
		{"not yet valid", "is not valid before", func(w *world) *keys.Identity { id, _ := w.pki.Issue("AP_DE_01", testpki.NotYetValid); return &id }},
		{"untrusted", "trusted", func(w *world) *keys.Identity {
			key, err := testpki.Key("AP_DE_01")
			if err != nil {
				w.t.Fatal(err)
			}
			tmpl := &x509.Certificate{SerialNumber: big.NewInt(9), Subject: pkix.Name{CommonName: "AP_DE_01 self-signed"},
				NotBefore: w.now.Add(-time.Hour), NotAfter: w.now.Add(time.Hour), KeyUsage: x509.KeyUsageKeyEncipherment}
			der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
			if err != nil {
				w.t.Fatal(err)
			}
			c, _ := x509.ParseCertificate(der)
			return &keys.Identity{Cert: c}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, 1)
			w.sendCfg.Parties["de"].Cert = tt.cert(w).Cert
			_, err := w.memSender().Send(context.Background(), querySubmission(payload("q@x", "application/xml", []byte("<q/>"))))
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "nothing was sent") {
				t.Fatalf("Send = %v; want a refusal containing %q", err, tt.want)
			}
			if n := len(w.requests); n != 0 {
				t.Fatalf("%d requests reached the access point", n)
			}
		})
	}
}
