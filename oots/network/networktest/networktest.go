// Package networktest writes the files a network file names (keystores,
// trust store, P-Modes) for tests, from a pmode/demo setup made with a
// test CA. Tests only: the keys come from keys/testpki.
package networktest

import (
	"bytes"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4/keys"
	"github.com/vienreiz/vienreiz/oots/as4/keys/testpki"
	"github.com/vienreiz/vienreiz/oots/as4/pmode"
	"github.com/vienreiz/vienreiz/oots/as4/pmode/demo"
)

// Alias is the key entry's alias in the keystores written here.
const Alias = "ap"

// Files written by WriteSide inside its folder.
const (
	PKCS12File = "ap.p12"
	JKSFile    = "ap.jks"
	CAFile     = "oots-ca.pem"
	PModeFile  = "pmodes.json"
)

// WriteSide writes side's identity as PKCS#12 (PKCS12File) and as JKS
// (JKSFile), both sealed with password, the CA of pki as PEM (CAFile) and
// side's P-Modes (PModeFile) into dir.
func WriteSide(dir string, side demo.Side, pki *testpki.PKI, password string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	p12, err := keys.EncodePKCS12(side.Identity, password)
	if err != nil {
		return err
	}
	var jks bytes.Buffer
	if err := keys.WriteJKS(&jks, password, Alias, side.Identity, "", nil); err != nil {
		return err
	}
	pm, err := pmode.Marshal(side.Config)
	if err != nil {
		return err
	}
	for name, data := range map[string][]byte{
		PKCS12File: p12, JKSFile: jks.Bytes(), CAFile: keys.EncodePEM(pki.Root, pki.Issuer), PModeFile: pm,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			return fmt.Errorf("networktest: %w", err)
		}
	}
	return nil
}

// ServerFile is the TLS keystore WriteServerTLS writes.
const ServerFile = "tls.p12"

// WriteServerTLS writes a PKCS#12 keystore (ServerFile, sealed with
// password) into dir holding an https server certificate for 127.0.0.1
// and localhost, issued by pki's issuing CA.
func WriteServerTLS(dir string, pki *testpki.PKI, password string) error {
	key, err := testpki.Key("networktest TLS server")
	if err != nil {
		return err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(pki.Now.UnixNano()),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		NotBefore:    pki.Now.Add(-time.Hour),
		NotAfter:     pki.Now.Add(30 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:     []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, pki.Issuer, &key.PublicKey, pki.IssuerKey)
	if err != nil {
		return err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return err
	}
	p12, err := keys.EncodePKCS12(keys.Identity{Key: key, Cert: cert, Chain: []*x509.Certificate{pki.Issuer}}, password)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, ServerFile), p12, 0o600)
}
