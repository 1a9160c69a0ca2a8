package as4

import (
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4/keys"
)

// checkRecipient refuses, before anything is encrypted or sent, a
// recipient certificate that is expired or not yet valid at now, that
// does not chain to trust, or whose key usage does not allow key
// encipherment.
func checkRecipient(cert *x509.Certificate, trust *keys.TrustStore, now time.Time) error {
	switch {
	case now.After(cert.NotAfter):
		return fmt.Errorf("recipient certificate %q expired on %s; nothing was sent", cert.Subject, cert.NotAfter.UTC().Format(time.DateOnly))
	case now.Before(cert.NotBefore):
		return fmt.Errorf("recipient certificate %q is not valid before %s; nothing was sent", cert.Subject, cert.NotBefore.UTC().Format(time.DateTime))
	case trust == nil:
		return errors.New("no trust store to check the recipient certificate against; nothing was sent")
	}
	var ku x509.KeyUsage
	if cert.KeyUsage != 0 {
		ku = x509.KeyUsageKeyEncipherment
	}
	if err := trust.VerifyKeyUsage(cert, now, ku); err != nil {
		return fmt.Errorf("recipient certificate %q: %w; nothing was sent", cert.Subject, err)
	}
	return nil
}
