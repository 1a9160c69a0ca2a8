package wss

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/vienreiz/vienreiz/oots/as4/keys"
	"github.com/vienreiz/vienreiz/oots/as4/pmode"
	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

func TestSignVerifyRoundTrip(t *testing.T) {
	p := getPKI(t)
	gz := bytes.Repeat([]byte{0x1f, 0x8b, 0, 1, 2, 3}, 3000)
	tests := []struct {
		name  string
		parts []Part
	}{
		{"no attachments", nil},
		{"one gzip payload", []Part{memPart("payload-1@vienreiz.lv", "application/gzip", gz)}},
		{"xml payload is canonicalized", []Part{memPart("q@x", "application/x-ebrs+xml", []byte(`<?xml version="1.0"?><q:Q xmlns:q="urn:q"  b="2" a="1"><q:v>1</q:v></q:Q>`))}},
		{"text payload with bare LF", []Part{memPart("t@x", "text/plain; charset=utf-8", []byte("line one\nline two\r\nthree\r"))}},
		{"three parts", []Part{
			memPart("a@x", "application/octet-stream", []byte("alpha")),
			memPart("b@x", "application/pdf", []byte("%PDF-1.7 beta")),
			memPart("c@x", "application/octet-stream", nil),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := loadEnvelope(t)
			if err := Sign(env, tt.parts, p.sender, as4Security); err != nil {
				t.Fatalf("Sign: %v", err)
			}
			got := wire(t, env)
			v, err := Verify(got, materialize(t, tt.parts), p.trust, testNow)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if !v.Cert.Equal(p.sender.Cert) {
				t.Errorf("Verified.Cert = %s, want the sender", v.Cert.Subject)
			}
			if want := 2 + len(tt.parts); len(v.References) != want {
				t.Fatalf("Verified.References has %d entries, want %d", len(v.References), want)
			}
			for i, r := range v.References {
				doc := etree.NewDocument()
				doc.SetRoot(r.Copy())
				b, _ := doc.WriteToString()
				alone, err := xmlsafe.ParseBytes([]byte(b))
				if err != nil || !is(alone.Root(), NSDsig, "Reference") || alone.Root().FindElement("./ds:DigestValue") == nil ||
					alone.Root().FindElement("./ds:DigestValue").NamespaceURI() != NSDsig {
					t.Errorf("reference %d is not a self-contained ds:Reference: %v\n%s", i, err, b)
				}
			}
			for i, part := range tt.parts {
				if uri := v.References[2+i].SelectAttrValue("URI", ""); uri != "cid:"+part.ContentID {
					t.Errorf("reference %d URI = %q, want cid:%s", 2+i, uri, part.ContentID)
				}
			}
		})
	}
}

func TestSignedHeaderLayout(t *testing.T) {
	p := getPKI(t)
	env := loadEnvelope(t)
	if err := Sign(env, []Part{memPart("payload-1@vienreiz.lv", "application/gzip", []byte("x"))}, p.sender, as4Security); err != nil {
		t.Fatal(err)
	}
	e, err := splitEnvelope(env)
	if err != nil {
		t.Fatal(err)
	}
	sec := children(e.header, NSWsse, "Security")
	if len(sec) != 1 || sec[0].Index() != 0 {
		t.Fatalf("want one wsse:Security as the first header block, got %d", len(sec))
	}
	if mu, _ := attr(sec[0], NSSoap12, "mustUnderstand"); mu != "true" {
		t.Errorf("wsse:Security mustUnderstand = %q, want true", mu)
	}
	for _, el := range []struct {
		name string
		id   string
	}{{"eb:Messaging", wsuID(e.messaging)}, {"Body", wsuID(e.body)}} {
		if el.id == "" {
			t.Errorf("%s has no wsu:Id after signing", el.name)
		}
	}
	b, _ := env.WriteToString()
	for _, want := range []string{AlgRSASHA256, AlgExcC14N, AlgSHA256, AlgAttachmentContentSig, ValueTypeX509v3, `URI="cid:payload-1@vienreiz.lv"`} {
		if !strings.Contains(b, want) {
			t.Errorf("signed envelope lacks %q", want)
		}
	}
}

func TestSignEncryptDecryptVerify(t *testing.T) {
	p := getPKI(t)
	plain := map[string][]byte{
		"payload-1@vienreiz.lv": bytes.Repeat([]byte("compressed evidence "), 10000),
		"payload-2@vienreiz.lv": []byte("second"),
		"empty@vienreiz.lv":     {},
	}
	parts := []Part{
		memPart("payload-1@vienreiz.lv", "application/gzip", plain["payload-1@vienreiz.lv"]),
		memPart("payload-2@vienreiz.lv", "application/octet-stream", plain["payload-2@vienreiz.lv"]),
		memPart("empty@vienreiz.lv", "application/octet-stream", plain["empty@vienreiz.lv"]),
	}
	env := loadEnvelope(t)
	if err := Sign(env, parts, p.sender, as4Security); err != nil {
		t.Fatalf("Sign: %v", err)
	}
	enc, err := Encrypt(env, parts, p.receiver.Cert, as4Security, rand.Reader)
	if err != nil {
		t.Fatalf("Encrypt: %v", err)
	}
	for i, c := range enc {
		ct := readPart(t, c)
		if len(ct) != len(plain[c.ContentID])+gcmIVSize+gcmTagSize {
			t.Errorf("part %d: ciphertext %d bytes, want plaintext+28", i, len(ct))
		}
		if len(plain[c.ContentID]) > 0 && bytes.Contains(ct, plain[c.ContentID]) {
			t.Errorf("part %d: ciphertext contains the plaintext", i)
		}
		again := readPart(t, c)
		if bytes.Equal(again[:gcmIVSize], ct[:gcmIVSize]) {
			t.Errorf("part %d: reopening reused the IV", i)
		}
		if len(again) != len(ct) {
			t.Errorf("part %d: reopening changed the ciphertext length", i)
		}
		if c.ContentType != "application/octet-stream" {
			t.Errorf("part %d: ciphertext content type %q", i, c.ContentType)
		}
	}
	got := wire(t, env)
	spool, dir := tempSpool(t)
	dec, err := Decrypt(got, materialize(t, enc), p.receiver, spool)
	if err != nil {
		t.Fatalf("Decrypt: %v", err)
	}
	for i, d := range dec {
		if d.ContentID != parts[i].ContentID || d.ContentType != parts[i].ContentType {
			t.Errorf("part %d: decrypted %s %s, want %s %s", i, d.ContentID, d.ContentType, parts[i].ContentID, parts[i].ContentType)
		}
		if !bytes.Equal(readPart(t, d), plain[d.ContentID]) {
			t.Errorf("part %d: decrypted content differs", i)
		}
	}
	// Only the part over memPartLimit is spooled; the small ones are
	// decrypted in memory.
	if n := len(spoolFiles(t, dir)); n != 1 {
		t.Errorf("%d spool files, want 1", n)
	}
	if _, err := Verify(got, dec, p.trust, testNow); err != nil {
		t.Fatalf("Verify after Decrypt: %v", err)
	}
}

func TestSignFailureLeavesEnvelopeUnchanged(t *testing.T) {
	p := getPKI(t)
	broken := Part{ContentID: "broken@x", ContentType: "application/gzip", Open: func() (io.ReadCloser, error) {
		return nil, errors.New("disk gone")
	}}
	tests := []struct {
		name  string
		parts []Part
		id    keys.Identity
		alg   pmode.Security
	}{
		{"unreadable attachment", []Part{memPart("ok@x", "application/gzip", []byte("x")), broken}, p.sender, as4Security},
		{"repeated Content-ID", []Part{memPart("a@x", "application/gzip", nil), memPart("a@x", "application/gzip", nil)}, p.sender, as4Security},
		{"rsa-sha1 requested", nil, p.sender, pmode.Security{SignatureAlgorithm: AlgRSASHA1}},
		{"signer that fails", nil, keys.Identity{Key: failingSigner{p.sender.Key}, Cert: p.sender.Cert}, as4Security},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := loadEnvelope(t)
			before, _ := env.WriteToString()
			if err := Sign(env, tt.parts, tt.id, tt.alg); err == nil {
				t.Fatal("Sign succeeded")
			}
			if after, _ := env.WriteToString(); after != before {
				t.Fatalf("failed Sign changed the envelope:\n%s", after)
			}
		})
	}
}

// failingSigner is an RSA identity whose signing always fails (an HSM that
// went away).
type failingSigner struct{ crypto.Signer }

func (failingSigner) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	return nil, errors.New("token removed")
}

func TestSignIntoForeignSecurityHeader(t *testing.T) {
	// A wsse:Security made by someone else with other prefixes: what Sign
	// adds must still resolve its namespaces.
	p := getPKI(t)
	env := loadEnvelope(t)
	hdr := env.FindElement("//env:Header")
	sec := hdr.CreateElement("o:Security")
	sec.CreateAttr("xmlns:o", NSWsse)
	parts := []Part{memPart("payload-1@vienreiz.lv", "application/gzip", payload)}
	if err := Sign(env, parts, p.sender, as4Security); err != nil {
		t.Fatal(err)
	}
	enc, err := Encrypt(env, parts, p.receiver.Cert, as4Security, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	got := wire(t, env)
	spool, _ := tempSpool(t)
	dec, err := Decrypt(got, materialize(t, enc), p.receiver, spool)
	if err != nil {
		t.Fatalf("Decrypt: %v", err)
	}
	if _, err := Verify(got, dec, p.trust, testNow); err != nil {
		t.Fatalf("Verify: %v", err)
	}
}
