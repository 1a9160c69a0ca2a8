package wss

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/oots/as4/keys"
	"github.com/vienreiz/vienreiz/oots/as4/pmode"
)

// cnFirstReceiver issues the receiver's key a certificate from a CA whose
// name is encoded CN first (CN, O, C), as some national CAs do; Go's
// pkix.Name.String() prints it "CN=…,O=…,C=…", while RFC 4514 (and Java's
// X500Principal) writes the last RDN first: "C=LV,O=…,CN=…".
func cnFirstReceiver(t *testing.T) keys.Identity {
	t.Helper()
	p := getPKI(t)
	attr := func(oid asn1.ObjectIdentifier, v string) []pkix.AttributeTypeAndValue {
		return []pkix.AttributeTypeAndValue{{Type: oid, Value: v}}
	}
	name, err := asn1.Marshal(pkix.RDNSequence{
		attr(asn1.ObjectIdentifier{2, 5, 4, 3}, "CN First Test CA"),
		attr(asn1.ObjectIdentifier{2, 5, 4, 10}, "Vienreiz Interop"),
		attr(asn1.ObjectIdentifier{2, 5, 4, 6}, "LV"),
	})
	if err != nil {
		t.Fatal(err)
	}
	ca := &x509.Certificate{
		SerialNumber: big.NewInt(77), RawSubject: name, NotBefore: testNow.AddDate(-1, 0, 0), NotAfter: testNow.AddDate(5, 0, 0),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, ca, ca, &p.caKey.PublicKey, p.caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(der)
	key := p.receiver.Key.(*rsa.PrivateKey)
	leaf := &x509.Certificate{
		SerialNumber: big.NewInt(4242), Subject: pkix.Name{CommonName: "ap-cn-first"},
		NotBefore: testNow.AddDate(-1, 0, 0), NotAfter: testNow.AddDate(2, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment, SubjectKeyId: []byte("cn-first-ski-0001"),
	}
	if der, err = x509.CreateCertificate(rand.Reader, leaf, caCert, &key.PublicKey, p.caKey); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return keys.Identity{Key: key, Cert: cert, Chain: []*x509.Certificate{caCert}}
}

func TestIssuerNamesCompareByTheirEncodedRDNSequence(t *testing.T) {
	cert := cnFirstReceiver(t).Cert
	if got, want := issuerName(cert), "C=LV,O=Vienreiz Interop,CN=CN First Test CA"; got != want {
		t.Fatalf("issuerName = %q, want %q (RFC 4514, last RDN first)", got, want)
	}
	for name, want := range map[string]bool{
		"C=LV,O=Vienreiz Interop,CN=CN First Test CA":             true,
		"c=lv, o=vienreiz  interop, cn=CN First Test CA":          true,
		"C=LV,O=Vienreiz Interop,2.5.4.3=CN First Test CA":        true,
		"C=LV,O=Vienreiz\\, Interop,CN=CN First Test CA":          false,
		"CN=CN First Test CA,O=Vienreiz Interop,C=LV":             false, // Go's order: another name
		"C=LV,O=Vienreiz Interop":                                 false,
		"C=LV,O=Vienreiz Interop,CN=CN First Test CA,OU=Extra":    false,
		"C=LV,O=Vienreiz Interop,CN=CN First Test CA+OU=Together": false,
		"not a DN": false,
	} {
		if got := sameIssuer(name, cert); got != want {
			t.Errorf("sameIssuer(%q) = %v, want %v", name, got, want)
		}
	}
	if cert.Issuer.String() == issuerName(cert) {
		t.Fatal("the test certificate does not show the difference it is meant to")
	}
}

// TestKeyInfoFormsRoundTrip encrypts for a CN-first certificate in each
// KeyInfo form and decrypts it again; a different certificate is refused.
func TestKeyInfoFormsRoundTrip(t *testing.T) {
	id := cnFirstReceiver(t)
	for _, form := range []string{pmode.KeyInfoIssuerSerial, pmode.KeyInfoSKI, pmode.KeyInfoBST} {
		t.Run(form, func(t *testing.T) {
			sec := as4Security
			sec.KeyInfo = form
			env := loadEnvelope(t)
			enc, err := Encrypt(env, []Part{memPart("a@x", "application/xml", []byte("<a/>"))}, id.Cert, sec, rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			spool, _ := tempSpool(t)
			dec, err := Decrypt(env, enc, id, spool)
			if err != nil || string(readPart(t, dec[0])) != "<a/>" {
				t.Fatalf("Decrypt: %v", err)
			}
			if _, err := Decrypt(env, enc, getPKI(t).receiver, spool); err == nil || !strings.Contains(err.Error(), "not addressed to") {
				t.Fatalf("Decrypt with another certificate of the same key = %v; want it refused as not addressed to it", err)
			}
		})
	}
}

// TestSantuarioKeyInfoForms runs each EncryptedKey KeyInfo form both ways
// against Apache Santuario, for a recipient whose issuer is encoded CN
// first: Java resolves our KeyInfo as WSS4J does (X500Principal equality
// of our X509IssuerName, subject key identifier, BST reference) and we
// decrypt what Java encrypted in each form.
func TestSantuarioKeyInfoForms(t *testing.T) {
	java := santuario(t)
	id := cnFirstReceiver(t)
	dir := t.TempDir()
	certPEM := writePEM(t, dir, "cn-first.pem", "CERTIFICATE", id.Cert.Raw)
	data := []byte("<evidence>Bērziņš</evidence>")
	plain := writeFile(t, filepath.Join(dir, "plain.xml"), data)
	for form, mode := range map[string]string{pmode.KeyInfoIssuerSerial: "encrypt", pmode.KeyInfoSKI: "encrypt-ski", pmode.KeyInfoBST: "encrypt-bst"} {
		t.Run("Santuario resolves our "+form, func(t *testing.T) {
			sec := as4Security
			sec.KeyInfo = form
			env := loadEnvelope(t)
			if _, err := Encrypt(env, []Part{memPart("ev@x", "application/xml", data)}, id.Cert, sec, rand.Reader); err != nil {
				t.Fatal(err)
			}
			out, err := java("recipient", writeDoc(t, filepath.Join(dir, "go-"+form+".xml"), env), certPEM)
			if err != nil {
				t.Fatalf("Santuario does not find its certificate in our %s KeyInfo: %v\n%s", form, err, out)
			}
		})
		t.Run("we decrypt Santuario's "+form, func(t *testing.T) {
			in := writeDoc(t, filepath.Join(dir, "plain-"+form+".xml"), loadEnvelope(t))
			outFile, ct := filepath.Join(dir, "j-"+form+".xml"), filepath.Join(dir, "j-ct-"+form)
			if out, err := java(mode, in, outFile, certPEM, "ev@x", "application/xml", plain, ct); err != nil {
				t.Fatalf("Santuario %s: %v\n%s", mode, err, out)
			}
			b, err := os.ReadFile(ct)
			if err != nil {
				t.Fatal(err)
			}
			spool, _ := tempSpool(t)
			dec, err := Decrypt(readDoc(t, outFile), []Part{memPart("ev@x", "application/octet-stream", b)}, id, spool)
			if err != nil {
				t.Fatalf("Decrypt of Santuario's %s message: %v", form, err)
			}
			if !bytes.Equal(readPart(t, dec[0]), data) {
				t.Fatal("plaintext differs")
			}
		})
	}
}
