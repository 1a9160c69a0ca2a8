package wss

import (
	"errors"
	"os"
	"testing"

	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

// FuzzSecurityHeader feeds arbitrary envelopes to the wsse:Security
// parser and to Verify and Decrypt behind it. None may panic, and every
// refusal must wrap one of the three ebMS error classes.
func FuzzSecurityHeader(f *testing.F) {
	p := getPKI(f)
	env := loadEnvelope(f)
	parts := []Part{memPart("payload-1@vienreiz.lv", "application/gzip", payload)}
	if err := Sign(env, parts, p.sender, as4Security); err != nil {
		f.Fatal(err)
	}
	signed, _ := env.WriteToBytes()
	f.Add(signed)
	if _, err := Encrypt(env, parts, p.receiver.Cert, as4Security, zeroReader{}); err != nil {
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
		_, err = Verify(doc, parts, p.trust, testNow)
		if err == nil {
			return // an unchanged seed
		}
		if !errors.Is(err, ErrPolicyNoncompliance) && !errors.Is(err, ErrFailedAuthentication) {
			t.Fatalf("Verify error of no ebMS class: %v", err)
		}
		spool, _ := tempSpool(t)
		if _, err := Decrypt(doc, parts, p.receiver, spool); err != nil &&
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
