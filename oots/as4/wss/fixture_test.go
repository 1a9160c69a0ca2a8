package wss

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/beevik/etree"

	"github.com/vienreiz/vienreiz/oots/as4/keys"
	"github.com/vienreiz/vienreiz/oots/as4/pmode"
	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

// testNow is the time every verification in the tests happens at.
var testNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// pki is a small test PKI: a CA, the sending and receiving access points,
// and certificates that must be refused.
type pki struct {
	caCert           *x509.Certificate
	caKey            *rsa.PrivateKey
	sender, receiver keys.Identity
	expired          keys.Identity // sender key, certificate expired at testNow
	encryptOnly      keys.Identity // sender key, key usage keyEncipherment only
	selfSigned       keys.Identity // sender key, certificate not issued by the CA
	weak             keys.Identity // 1024-bit RSA key issued by the CA
	trust            *keys.TrustStore
}

// testPKI is built once per test binary: RSA key generation is the slow part.
var testPKI = sync.OnceValues(func() (*pki, error) {
	p := &pki{}
	var err error
	gen := func(bits int) *rsa.PrivateKey {
		if err != nil {
			return nil
		}
		var k *rsa.PrivateKey
		k, err = rsa.GenerateKey(rand.Reader, bits)
		return k
	}
	p.caKey = gen(2048)
	senderKey, receiverKey, weakKey := gen(2048), gen(2048), gen(1024)
	if err != nil {
		return nil, err
	}
	both := x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Vienreiz Test CA", Organization: []string{"Vienreiz"}, Country: []string{"LV"}},
		NotBefore: testNow.AddDate(-1, 0, 0), NotAfter: testNow.AddDate(5, 0, 0),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &p.caKey.PublicKey, p.caKey)
	if err != nil {
		return nil, err
	}
	if p.caCert, err = x509.ParseCertificate(der); err != nil {
		return nil, err
	}
	issue := func(serial int64, cn string, key *rsa.PrivateKey, usage x509.KeyUsage, notAfter time.Time, selfSigned bool) keys.Identity {
		if err != nil {
			return keys.Identity{}
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn, Organization: []string{"Vienreiz"}, Country: []string{"LV"}},
			NotBefore: testNow.AddDate(-1, 0, 0), NotAfter: notAfter, KeyUsage: usage,
			SubjectKeyId: []byte(cn)[:8],
		}
		parent, signer := p.caCert, p.caKey
		if selfSigned {
			parent, signer = tmpl, key
		}
		var d []byte
		if d, err = x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer); err != nil {
			return keys.Identity{}
		}
		var c *x509.Certificate
		c, err = x509.ParseCertificate(d)
		return keys.Identity{Key: key, Cert: c, Chain: []*x509.Certificate{p.caCert}}
	}
	p.sender = issue(1001, "ap-lv-sender", senderKey, both, testNow.AddDate(2, 0, 0), false)
	p.receiver = issue(1002, "ap-ee-receiver", receiverKey, both, testNow.AddDate(2, 0, 0), false)
	p.expired = issue(1003, "ap-lv-expired", senderKey, both, testNow.AddDate(0, 0, -1), false)
	p.encryptOnly = issue(1004, "ap-lv-enc-only", senderKey, x509.KeyUsageKeyEncipherment, testNow.AddDate(2, 0, 0), false)
	p.selfSigned = issue(1005, "ap-lv-selfsigned", senderKey, both, testNow.AddDate(2, 0, 0), true)
	p.weak = issue(1006, "ap-lv-weak-key", weakKey, both, testNow.AddDate(2, 0, 0), false)
	if err != nil {
		return nil, err
	}
	p.trust = keys.NewTrustStore(p.caCert)
	return p, nil
})

func getPKI(t testing.TB) *pki {
	t.Helper()
	p, err := testPKI()
	if err != nil {
		t.Fatalf("test PKI: %v", err)
	}
	return p
}

// as4Security is the eDelivery AS4 profile's algorithm suite.
var as4Security = pmode.Security{
	Sign: true, Encrypt: true,
	SignatureAlgorithm:      AlgRSASHA256,
	DigestAlgorithm:         AlgSHA256,
	DataEncryptionAlgorithm: AlgAES128GCM,
	KeyTransportAlgorithm:   AlgRSAOAEP,
	KeyTransportDigest:      AlgSHA256,
	KeyTransportMGF:         AlgMGF1SHA256,
}

// loadEnvelope parses testdata/envelope.xml, an unsigned AS4 user message.
func loadEnvelope(t testing.TB) *etree.Document {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "envelope.xml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := xmlsafe.Parse(f, 0)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// wire serializes env and parses it again, as a receiver would see it.
func wire(t testing.TB, env *etree.Document) *etree.Document {
	t.Helper()
	b, err := env.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := xmlsafe.ParseBytes(b)
	if err != nil {
		t.Fatalf("reparsing signed envelope: %v\n%s", err, b)
	}
	return doc
}

// memPart is an attachment held in memory.
func memPart(cid, ctype string, data []byte) Part {
	return Part{ContentID: cid, ContentType: ctype, Open: func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}}
}

// readPart returns the whole content of p.
func readPart(t testing.TB, p Part) []byte {
	t.Helper()
	rc, err := p.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// materialize reads every part into memory, as a MIME layer would deliver
// the received bytes.
func materialize(t testing.TB, parts []Part) []Part {
	t.Helper()
	out := make([]Part, len(parts))
	for i, p := range parts {
		out[i] = memPart(p.ContentID, p.ContentType, readPart(t, p))
	}
	return out
}

// tempSpool returns a spool function making files in a test temp folder.
func tempSpool(t testing.TB) (func() (*os.File, error), string) {
	dir := t.TempDir()
	return func() (*os.File, error) { return os.CreateTemp(dir, "part-*") }, dir
}

// closeParts closes the spool files behind decrypted parts (test cleanup).
func spoolFiles(t testing.TB, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "part-*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// secSuite is the P-Mode security section the tests vary.
type secSuite = pmode.Security

var base64Std = base64.StdEncoding
