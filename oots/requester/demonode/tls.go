package demonode

import (
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4/keys/testpki"
)

// previewKeyName names the cached testpki key of the preview listener.
const previewKeyName = "Vienreiz demo preview space"

// previewTLS issues a server certificate for 127.0.0.1 and localhost from
// a test CA made now, and returns it with that CA's root.
func previewTLS(now time.Time) (tls.Certificate, *x509.Certificate, error) {
	pki, err := testpki.New(now)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("demonode: preview CA: %w", err)
	}
	key, err := testpki.Key(previewKeyName)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("demonode: preview key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(now.UnixNano()),
		Subject:      pkix.Name{CommonName: previewKeyName},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(90 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:     []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, pki.Issuer, &key.PublicKey, pki.IssuerKey)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("demonode: preview certificate: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der, pki.Issuer.Raw}, PrivateKey: key}, pki.Root, nil
}

// previewClient is an https client that trusts the preview space's root.
func previewClient(roots *x509.CertPool) *http.Client {
	return &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}},
	}
}
