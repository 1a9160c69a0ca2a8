package pmode

import (
	"reflect"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4/keys"
	"github.com/vienreiz/vienreiz/oots/as4/keys/testpki"
)

func TestAttachCertificates(t *testing.T) {
	p, err := testpki.New(time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	demo, err := p.Party("DEMO")
	if err != nil {
		t.Fatal(err)
	}
	lv, err := p.Party("LV")
	if err != nil {
		t.Fatal(err)
	}
	c := validConfig()
	c.Parties["LV"].Cert = lv.Cert
	trust := keys.NewTrustStore()
	trust.AddNamed("demo", demo.Cert)
	if missing := c.AttachCertificates(trust.Lookup); len(missing) != 0 {
		t.Errorf("missing = %v", missing)
	}
	if !c.Parties["DEMO"].Cert.Equal(demo.Cert) || !c.Parties["LV"].Cert.Equal(lv.Cert) {
		t.Error("certificates not attached, or an existing one replaced")
	}
	c = validConfig()
	if missing := c.AttachCertificates(keys.NewTrustStore().Lookup); !reflect.DeepEqual(missing, []string{"DEMO", "LV"}) {
		t.Errorf("missing = %v, want [DEMO LV]", missing)
	}
}
