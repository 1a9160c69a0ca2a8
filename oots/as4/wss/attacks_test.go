package wss

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"testing"
	"time"

	"github.com/beevik/etree"

	"github.com/vienreiz/vienreiz/oots/as4/keys"
)

// signedMessage is a signed envelope and its attachment, ready to attack.
type signedMessage struct {
	env   *etree.Document
	e     envelope
	sig   *etree.Element
	parts []Part
}

var payload = []byte("\x1f\x8b compressed QueryResponse evidence")

func newSigned(t *testing.T, id keys.Identity) *signedMessage {
	t.Helper()
	parts := []Part{memPart("payload-1@vienreiz.lv", "application/gzip", payload)}
	env := loadEnvelope(t)
	if err := Sign(env, parts, id, as4Security); err != nil {
		t.Fatalf("Sign: %v", err)
	}
	env = wire(t, env)
	e, err := splitEnvelope(env)
	if err != nil {
		t.Fatal(err)
	}
	sig := descendants(e.root, NSDsig, "Signature")[0]
	return &signedMessage{env: env, e: e, sig: sig, parts: parts}
}

// resign recomputes the SignatureValue over the (modified) SignedInfo with
// key, as an attacker holding a trusted key would, so that a test reaches
// the policy check it is aimed at rather than failing on the signature.
func (m *signedMessage) resign(t *testing.T, key *rsa.PrivateKey, h crypto.Hash) {
	t.Helper()
	si := m.sig.FindElement("./ds:SignedInfo")
	c, err := canonicalize(si, "")
	if err != nil {
		t.Fatal(err)
	}
	hh := h.New()
	hh.Write(c)
	v, err := rsa.SignPKCS1v15(rand.Reader, key, h, hh.Sum(nil))
	if err != nil {
		t.Fatal(err)
	}
	m.sig.FindElement("./ds:SignatureValue").SetText(base64.StdEncoding.EncodeToString(v))
}

// ref returns the ds:Reference with the given URI.
func (m *signedMessage) ref(t *testing.T, uri string) *etree.Element {
	t.Helper()
	for _, r := range m.sig.FindElements("./ds:SignedInfo/ds:Reference") {
		if r.SelectAttrValue("URI", "") == uri {
			return r
		}
	}
	t.Fatalf("no reference %q", uri)
	return nil
}

func parseFragment(t *testing.T, s string) *etree.Element {
	t.Helper()
	d := etree.NewDocument()
	if err := d.ReadFromString(s); err != nil {
		t.Fatal(err)
	}
	return d.Root()
}

func TestVerifyRejects(t *testing.T) {
	p := getPKI(t)
	senderKey := p.sender.Key.(*rsa.PrivateKey)
	tests := []struct {
		name   string
		id     keys.Identity // signer; the sender when zero
		attack func(t *testing.T, m *signedMessage)
		want   error
	}{
		{"tampered payload", keys.Identity{}, func(t *testing.T, m *signedMessage) {
			m.parts = []Part{memPart("payload-1@vienreiz.lv", "application/gzip", []byte("\x1f\x8b forged evidence"))}
		}, ErrFailedAuthentication},
		{"tampered eb:Messaging header", keys.Identity{}, func(t *testing.T, m *signedMessage) {
			m.e.messaging.FindElement(".//eb:Action").SetText("ExecuteQueryResponse")
		}, ErrFailedAuthentication},
		{"tampered SOAP Body", keys.Identity{}, func(t *testing.T, m *signedMessage) {
			m.e.body.CreateElement("injected")
		}, ErrFailedAuthentication},
		{"tampered attachment content type (xml instead of octets)", keys.Identity{}, func(t *testing.T, m *signedMessage) {
			m.parts[0].ContentType = "text/plain"
			m.parts[0] = memPart("payload-1@vienreiz.lv", "text/plain", []byte("line\n"))
		}, ErrFailedAuthentication},
		{"comment splitting signed eb:Messaging text (c14n drops it)", keys.Identity{}, func(t *testing.T, m *signedMessage) {
			id := m.e.messaging.FindElement(".//eb:MessageId")
			text := id.Text()
			id.SetText(text[:8])
			id.AddChild(etree.NewComment("split"))
			id.AddChild(etree.NewText(text[8:]))
		}, ErrPolicyNoncompliance},
		{"wrapping: second eb:Messaging in the header", keys.Identity{}, func(t *testing.T, m *signedMessage) {
			forged := m.e.messaging.Copy()
			forged.RemoveAttr("wsu:Id")
			forged.FindElement(".//eb:Action").SetText("Forged")
			m.e.header.AddChild(forged)
		}, ErrPolicyNoncompliance},
		{"wrapping: signed eb:Messaging moved into a wrapper, forged one in its place", keys.Identity{}, func(t *testing.T, m *signedMessage) {
			orig := m.e.messaging
			forged := orig.Copy()
			forged.FindElement(".//eb:Action").SetText("Forged")
			m.e.header.RemoveChild(orig)
			wrapper := m.e.header.CreateElement("Wrapper")
			wrapper.AddChild(orig)
			m.e.header.AddChild(forged)
		}, ErrPolicyNoncompliance},
		{"wrapping: duplicated wsu:Id (signed Body copied into a header block)", keys.Identity{}, func(t *testing.T, m *signedMessage) {
			copyOfBody := m.e.body.Copy()
			m.e.header.CreateElement("Wrapper").AddChild(copyOfBody)
			m.e.body.CreateElement("forged")
		}, ErrPolicyNoncompliance},
		{"wrapping: wsu:Id moved from the Body to another element", keys.Identity{}, func(t *testing.T, m *signedMessage) {
			id := wsuID(m.e.body)
			m.e.body.RemoveAttr("wsu:Id")
			other := m.e.header.CreateElement("Other")
			other.CreateAttr("xmlns:wsu", NSWsu)
			other.CreateAttr("wsu:Id", id)
		}, ErrPolicyNoncompliance},
		{"reference to an element outside eb:Messaging and Body (the token)", keys.Identity{}, func(t *testing.T, m *signedMessage) {
			bst := descendants(m.e.root, NSWsse, "BinarySecurityToken")[0]
			r := m.ref(t, "#"+wsuID(m.e.body)).Copy()
			r.CreateAttr("URI", "#"+wsuID(bst))
			m.sig.FindElement("./ds:SignedInfo").AddChild(r)
			m.resign(t, senderKey, crypto.SHA256)
		}, ErrPolicyNoncompliance},
		{"reference to a remote URI", keys.Identity{}, func(t *testing.T, m *signedMessage) {
			r := m.ref(t, "cid:payload-1@vienreiz.lv").Copy()
			r.CreateAttr("URI", "http://attacker.example/evidence")
			m.sig.FindElement("./ds:SignedInfo").AddChild(r)
			m.resign(t, senderKey, crypto.SHA256)
		}, ErrPolicyNoncompliance},
		{"wrong certificate in the token", keys.Identity{}, func(t *testing.T, m *signedMessage) {
			bst := descendants(m.e.root, NSWsse, "BinarySecurityToken")[0]
			bst.SetText(base64.StdEncoding.EncodeToString(p.receiver.Cert.Raw))
		}, ErrFailedAuthentication},
		{"expired certificate", p.expired, nil, keys.ErrExpired},
		{"untrusted certificate", p.selfSigned, nil, keys.ErrUntrusted},
		{"wrong key usage (keyEncipherment only)", p.encryptOnly, nil, keys.ErrKeyUsage},
		{"weak 1024-bit RSA key", p.weak, nil, ErrPolicyNoncompliance},
		{"weak signature algorithm rsa-sha1", keys.Identity{}, func(t *testing.T, m *signedMessage) {
			m.sig.FindElement("./ds:SignedInfo/ds:SignatureMethod").CreateAttr("Algorithm", AlgRSASHA1)
			m.resign(t, senderKey, crypto.SHA1)
		}, ErrPolicyNoncompliance},
		{"weak digest algorithm sha1", keys.Identity{}, func(t *testing.T, m *signedMessage) {
			r := m.ref(t, "#"+wsuID(m.e.body))
			r.FindElement("./ds:DigestMethod").CreateAttr("Algorithm", AlgSHA1)
			c, _ := canonicalize(m.e.body, "")
			h := crypto.SHA1.New()
			h.Write(c)
			r.FindElement("./ds:DigestValue").SetText(base64.StdEncoding.EncodeToString(h.Sum(nil)))
			m.resign(t, senderKey, crypto.SHA256)
		}, ErrPolicyNoncompliance},
		{"inclusive canonicalization", keys.Identity{}, func(t *testing.T, m *signedMessage) {
			m.sig.FindElement("./ds:SignedInfo/ds:CanonicalizationMethod").CreateAttr("Algorithm", "http://www.w3.org/TR/2001/REC-xml-c14n-20010315")
		}, ErrPolicyNoncompliance},
		{"missing signature", keys.Identity{}, func(t *testing.T, m *signedMessage) {
			m.sig.Parent().RemoveChild(m.sig)
		}, ErrPolicyNoncompliance},
		{"missing wsse:Security header", keys.Identity{}, func(t *testing.T, m *signedMessage) {
			m.e.header.RemoveChild(m.sig.Parent())
		}, ErrPolicyNoncompliance},
		{"signature outside wsse:Security", keys.Identity{}, func(t *testing.T, m *signedMessage) {
			m.e.body.AddChild(m.sig.Copy())
		}, ErrPolicyNoncompliance},
		{"missing reference to a part", keys.Identity{}, func(t *testing.T, m *signedMessage) {
			m.parts = append(m.parts, memPart("unsigned@attacker", "application/gzip", []byte("extra")))
		}, ErrPolicyNoncompliance},
		{"second attachment under a signed Content-ID", keys.Identity{}, func(t *testing.T, m *signedMessage) {
			m.parts = append(m.parts, memPart("payload-1@vienreiz.lv", "application/gzip", []byte("smuggled")))
		}, ErrPolicyNoncompliance},
		{"reference to a part the message lacks", keys.Identity{}, func(t *testing.T, m *signedMessage) {
			m.parts = nil
		}, ErrPolicyNoncompliance},
		{"missing reference to the Body", keys.Identity{}, func(t *testing.T, m *signedMessage) {
			r := m.ref(t, "#"+wsuID(m.e.body))
			r.Parent().RemoveChild(r)
			m.resign(t, senderKey, crypto.SHA256)
		}, ErrPolicyNoncompliance},
		{"missing reference to eb:Messaging", keys.Identity{}, func(t *testing.T, m *signedMessage) {
			r := m.ref(t, "#"+wsuID(m.e.messaging))
			r.Parent().RemoveChild(r)
			m.resign(t, senderKey, crypto.SHA256)
		}, ErrPolicyNoncompliance},
		{"attachment reference without the SwA transform", keys.Identity{}, func(t *testing.T, m *signedMessage) {
			m.ref(t, "cid:payload-1@vienreiz.lv").FindElement("./ds:Transforms/ds:Transform").CreateAttr("Algorithm", swaProfile+"#Attachment-Complete-Signature-Transform")
			m.resign(t, senderKey, crypto.SHA256)
		}, ErrPolicyNoncompliance},
		{"same-document reference with an XPath transform", keys.Identity{}, func(t *testing.T, m *signedMessage) {
			ts := m.ref(t, "#"+wsuID(m.e.body)).FindElement("./ds:Transforms")
			ts.CreateElement("ds:Transform").CreateAttr("Algorithm", "http://www.w3.org/TR/1999/REC-xpath-19991116")
			m.resign(t, senderKey, crypto.SHA256)
		}, ErrPolicyNoncompliance},
		{"key info not pointing at a token in wsse:Security", keys.Identity{}, func(t *testing.T, m *signedMessage) {
			bst := descendants(m.e.root, NSWsse, "BinarySecurityToken")[0]
			bst.Parent().RemoveChild(bst)
			m.e.body.AddChild(bst)
		}, ErrPolicyNoncompliance},
		{"signature value of another key", keys.Identity{}, func(t *testing.T, m *signedMessage) {
			m.resign(t, p.receiver.Key.(*rsa.PrivateKey), crypto.SHA256)
		}, ErrFailedAuthentication},
		{"message that is not a SOAP 1.2 envelope", keys.Identity{}, func(t *testing.T, m *signedMessage) {
			m.env.SetRoot(parseFragment(t, `<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"/>`))
		}, ErrPolicyNoncompliance},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := tt.id
			if id.Key == nil {
				id = p.sender
			}
			m := newSigned(t, id)
			if tt.attack != nil {
				tt.attack(t, m)
			}
			v, err := Verify(m.env, m.parts, p.trust, testNow)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Verify error = %v, want %v", err, tt.want)
			}
			if v != nil {
				t.Fatal("Verify returned a result with an error")
			}
			t.Logf("rejected: %v", err)
			// The receiver's two steps refuse it as well: VerifyEnvelope
			// before the attachments are read, VerifyParts after.
			if se, err := VerifyEnvelope(m.env, p.trust, testNow); !errors.Is(err, tt.want) {
				if err != nil {
					t.Fatalf("VerifyEnvelope error = %v, want %v", err, tt.want)
				}
				if v, err := se.VerifyParts(m.parts); !errors.Is(err, tt.want) || v != nil {
					t.Fatalf("VerifyEnvelope passed, VerifyParts error = %v, want %v", err, tt.want)
				}
			}
			if errors.Is(tt.want, keys.ErrExpired) || errors.Is(tt.want, keys.ErrUntrusted) || errors.Is(tt.want, keys.ErrKeyUsage) {
				if !errors.Is(err, ErrFailedAuthentication) {
					t.Fatalf("certificate failure %v does not wrap ErrFailedAuthentication", err)
				}
			}
		})
	}
}

func TestVerifyUntamperedStillPasses(t *testing.T) {
	// Guard for TestVerifyRejects: the unattacked message verifies, so each
	// rejection above is caused by its attack.
	p := getPKI(t)
	m := newSigned(t, p.sender)
	before, _ := m.env.WriteToString()
	full, err := Verify(m.env, m.parts, p.trust, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if after, _ := m.env.WriteToString(); after != before {
		t.Fatal("Verify changed the envelope")
	}
	se, err := VerifyEnvelope(m.env, p.trust, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(se.References) != 3 {
		t.Fatalf("VerifyEnvelope named %d signed references, want 3 (eb:Messaging, the Body, the part)", len(se.References))
	}
	v, err := se.VerifyParts(m.parts)
	if err != nil || !v.Cert.Equal(p.sender.Cert) || len(v.References) != 3 {
		t.Fatalf("VerifyParts: %v, %+v", err, v)
	}
	for i, ref := range full.References {
		if want, got := elementText(ref), elementText(se.References[i]); got != want {
			t.Errorf("VerifyEnvelope's reference %d\n%s\ndiffers from Verify's\n%s", i, got, want)
		}
	}
	if _, err := Verify(m.env, m.parts, nil, testNow); !errors.Is(err, ErrFailedAuthentication) {
		t.Fatalf("no trust store: error = %v", err)
	}
}

// TestRememberedTokenCertificatesKeepEveryCheck: the second message of a
// signer reuses the parsed certificate of its token, and that certificate
// is still checked: the same token verified later than its validity, or
// against a trust store without its CA, fails.
func TestRememberedTokenCertificatesKeepEveryCheck(t *testing.T) {
	p := getPKI(t)
	m1 := newSigned(t, p.sender)
	first, err := Verify(m1.env, m1.parts, p.trust, testNow)
	if err != nil {
		t.Fatal(err)
	}
	m := newSigned(t, p.sender)
	second, err := Verify(m.env, m.parts, p.trust, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if first.Cert != second.Cert {
		t.Error("the token's certificate was parsed again")
	}
	if _, err := Verify(m.env, m.parts, p.trust, p.sender.Cert.NotAfter.Add(time.Hour)); !errors.Is(err, ErrFailedAuthentication) {
		t.Errorf("remembered certificate after its validity: error = %v, want ErrFailedAuthentication", err)
	}
	if _, err := Verify(m.env, m.parts, keys.NewTrustStore(p.selfSigned.Cert), testNow); !errors.Is(err, ErrFailedAuthentication) {
		t.Errorf("remembered certificate, CA not trusted: error = %v, want ErrFailedAuthentication", err)
	}
	other := newSigned(t, p.receiver)
	v, err := Verify(other.env, other.parts, p.trust, testNow)
	if err != nil || !v.Cert.Equal(p.receiver.Cert) {
		t.Fatalf("another signer's token: %v, %v", v, err)
	}
}

// elementText writes a copy of el as a document of its own.
func elementText(el *etree.Element) string {
	d := etree.NewDocument()
	d.SetRoot(el.Copy())
	s, _ := d.WriteToString()
	return s
}
