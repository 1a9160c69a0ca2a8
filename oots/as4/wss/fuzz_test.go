package wss

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/vienreiz/vienreiz/oots/as4/keys"
	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

// fuzzIdentity loads the fixed, test-only key pair of testdata/fuzz-*.pem
// (self-signed, valid until 2126). Fuzz workers run instrumented code in
// which generating RSA keys takes tens of seconds, so the fuzz target does
// not use the generated test PKI.
func fuzzIdentity(tb testing.TB) keys.Identity {
	tb.Helper()
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			tb.Fatal(err)
		}
		blk, _ := pem.Decode(b)
		if blk == nil {
			tb.Fatalf("%s: no PEM block", name)
		}
		return blk.Bytes
	}
	k, err := x509.ParsePKCS8PrivateKey(read("fuzz-key.pem"))
	if err != nil {
		tb.Fatal(err)
	}
	c, err := x509.ParseCertificate(read("fuzz-cert.pem"))
	if err != nil {
		tb.Fatal(err)
	}
	return keys.Identity{Key: k.(crypto.Signer), Cert: c}
}

// FuzzSecurityHeader feeds arbitrary envelopes to the wsse:Security
// parser and to Verify and Decrypt behind it. None may panic, and every
// refusal must wrap one of the three ebMS error classes.
func FuzzSecurityHeader(f *testing.F) {
	id := fuzzIdentity(f)
	trust := keys.NewTrustStore(id.Cert)
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	env := loadEnvelope(f)
	parts := []Part{memPart("payload-1@vienreiz.lv", "application/gzip", payload)}
	if err := Sign(env, parts, id, as4Security); err != nil {
		f.Fatal(err)
	}
	signed, _ := env.WriteToBytes()
	f.Add(signed)
	if _, err := Encrypt(env, parts, id.Cert, as4Security, zeroReader{}); err != nil {
		f.Fatal(err)
	}
	encrypted, _ := env.WriteToBytes()
	f.Add(encrypted)
	if plain, err := os.ReadFile("testdata/envelope.xml"); err == nil {
		f.Add(plain)
	}
	f.Add([]byte(`<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Header><s:Security xmlns:s="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/></s:Security></e:Header><e:Body/></e:Envelope>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := xmlsafe.ParseBytes(data)
		if err != nil {
			return
		}
		e, err := splitEnvelope(doc)
		if err == nil {
			_, err = parseSecurity(e)
		}
		if err != nil && !errors.Is(err, ErrPolicyNoncompliance) && !errors.Is(err, ErrFailedAuthentication) {
			t.Fatalf("parser error of no ebMS class: %v", err)
		}
		if _, err := Verify(doc, parts, trust, now); err != nil &&
			!errors.Is(err, ErrPolicyNoncompliance) && !errors.Is(err, ErrFailedAuthentication) {
			t.Fatalf("Verify error of no ebMS class: %v", err)
		}
		// Decrypt may only refuse, or succeed on an unchanged seed.
		spool, _ := tempSpool(t)
		if _, err := Decrypt(doc, parts, id, spool); err != nil &&
			!errors.Is(err, ErrPolicyNoncompliance) && !errors.Is(err, ErrFailedDecryption) && !errors.Is(err, ErrFailedAuthentication) {
			t.Fatalf("Decrypt error of no ebMS class: %v", err)
		}
	})
}

// zeroReader is a deterministic randomness source for fuzz seeds.
type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// FuzzSameIssuer feeds arbitrary X509IssuerName text, as a peer writes it
// in an EncryptedKey, to the distinguished-name parser behind sameIssuer.
// It may not panic; a name that matches the certificate's issuer must
// still match with its (ASCII) letters in upper case, and the issuer's
// own RFC 4514 text always matches.
func FuzzSameIssuer(f *testing.F) {
	cert := fuzzIdentity(f).Cert
	for _, seed := range []string{
		issuerName(cert), "c=lv, o=vienreiz  interop, cn=CN First Test CA", "C=LV,O=Vienreiz\\, Interop,CN=x",
		`CN="quoted, value",O=\41\42`, "OID.2.5.4.3=x+OU=y", "=,=+", "CN=\\", "2.5.4.3.=x", "",
	} {
		f.Add(seed)
	}
	if !sameIssuer(issuerName(cert), cert) {
		f.Fatal("the issuer's own name does not match")
	}
	f.Fuzz(func(t *testing.T, name string) {
		ascii := !strings.ContainsFunc(name, func(r rune) bool { return r > unicode.MaxASCII })
		if ascii && sameIssuer(name, cert) && !sameIssuer(strings.ToUpper(name), cert) {
			t.Fatalf("%q matches but not in upper case", name)
		}
	})
}
