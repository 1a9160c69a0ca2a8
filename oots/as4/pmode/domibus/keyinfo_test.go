package domibus

import (
	"testing"

	"github.com/vienreiz/vienreiz/oots/as4/pmode"
)

func TestBSTPolicyNamesTheRecipientByToken(t *testing.T) {
	for policy, want := range map[string]string{
		"eDeliveryAS4Policy_BST.xml": pmode.KeyInfoBST,
		"eDeliveryAS4Policy_IS.xml":  "",
		"eDeliveryAS4Policy.xml":     "",
	} {
		s, err := securityOf(Security{Name: "eDeliveryAS4Policy", Policy: policy})
		if err != nil || s.KeyInfo != want {
			t.Errorf("policy %s: KeyInfo %q (%v), want %q", policy, s.KeyInfo, err, want)
		}
	}
}
