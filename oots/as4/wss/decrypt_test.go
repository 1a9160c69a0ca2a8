package wss

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/beevik/etree"

	"github.com/vienreiz/vienreiz/oots/as4/keys"
)

// encryptedMessage is a signed and encrypted envelope as received: the
// reparsed header and the ciphertext parts in memory.
type encryptedMessage struct {
	env   *etree.Document
	e     envelope
	parts []Part // ciphertext
}

func newEncrypted(t *testing.T) *encryptedMessage {
	t.Helper()
	p := getPKI(t)
	parts := []Part{
		memPart("payload-1@vienreiz.lv", "application/gzip", payload),
		memPart("payload-2@vienreiz.lv", "application/gzip", []byte("\x1f\x8b second payload, different")),
	}
	env := loadEnvelope(t)
	if err := Sign(env, parts, p.sender, as4Security); err != nil {
		t.Fatal(err)
	}
	enc, err := Encrypt(env, parts, p.receiver.Cert, as4Security, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	env = wire(t, env)
	e, err := splitEnvelope(env)
	if err != nil {
		t.Fatal(err)
	}
	return &encryptedMessage{env: env, e: e, parts: materialize(t, enc)}
}

// edit replaces the ciphertext of part i with f applied to it.
func (m *encryptedMessage) edit(t *testing.T, i int, f func([]byte) []byte) {
	t.Helper()
	m.parts[i] = memPart(m.parts[i].ContentID, m.parts[i].ContentType, f(readPart(t, m.parts[i])))
}

func (m *encryptedMessage) first(t *testing.T, path string) *etree.Element {
	t.Helper()
	el := m.e.header.FindElement(path)
	if el == nil {
		t.Fatalf("no %s in the header", path)
	}
	return el
}

func TestDecryptRejects(t *testing.T) {
	p := getPKI(t)
	tests := []struct {
		name   string
		id     keys.Identity
		attack func(t *testing.T, m *encryptedMessage)
		want   error
	}{
		{"tampered ciphertext", p.receiver, func(t *testing.T, m *encryptedMessage) {
			m.edit(t, 1, func(b []byte) []byte { b[len(b)/2] ^= 0x40; return b })
		}, ErrFailedDecryption},
		{"tampered tag", p.receiver, func(t *testing.T, m *encryptedMessage) {
			m.edit(t, 0, func(b []byte) []byte { b[len(b)-1] ^= 1; return b })
		}, ErrFailedDecryption},
		{"truncated ciphertext", p.receiver, func(t *testing.T, m *encryptedMessage) {
			m.edit(t, 0, func(b []byte) []byte { return b[:len(b)-5] })
		}, ErrFailedDecryption},
		{"ciphertext shorter than an iv", p.receiver, func(t *testing.T, m *encryptedMessage) {
			m.edit(t, 0, func(b []byte) []byte { return b[:3] })
		}, ErrFailedDecryption},
		{"wrong recipient key", p.sender, nil, ErrFailedDecryption},
		{"corrupted wrapped key", p.receiver, func(t *testing.T, m *encryptedMessage) {
			cv := m.first(t, ".//xenc:EncryptedKey/xenc:CipherData/xenc:CipherValue")
			b, _ := decodeBase64(cv.Text())
			b[10] ^= 1
			cv.SetText(encodeB64(b))
		}, ErrFailedDecryption},
		{"CBC where GCM is required", p.receiver, func(t *testing.T, m *encryptedMessage) {
			m.first(t, ".//xenc:EncryptedData/xenc:EncryptionMethod").CreateAttr("Algorithm", AlgAES128CBC)
		}, ErrPolicyNoncompliance},
		{"rsa-oaep-mgf1p key transport (SHA-1)", p.receiver, func(t *testing.T, m *encryptedMessage) {
			m.first(t, ".//xenc:EncryptedKey/xenc:EncryptionMethod").CreateAttr("Algorithm", AlgRSAOAEPMGF1P)
		}, ErrPolicyNoncompliance},
		{"rsa-1_5 key transport", p.receiver, func(t *testing.T, m *encryptedMessage) {
			m.first(t, ".//xenc:EncryptedKey/xenc:EncryptionMethod").CreateAttr("Algorithm", "http://www.w3.org/2001/04/xmlenc#rsa-1_5")
		}, ErrPolicyNoncompliance},
		{"OAEP without MGF (MGF1-SHA-1 default)", p.receiver, func(t *testing.T, m *encryptedMessage) {
			em := m.first(t, ".//xenc:EncryptedKey/xenc:EncryptionMethod")
			em.RemoveChild(em.FindElement("./xenc11:MGF"))
		}, ErrPolicyNoncompliance},
		{"OAEP digest sha1", p.receiver, func(t *testing.T, m *encryptedMessage) {
			m.first(t, ".//xenc:EncryptedKey/xenc:EncryptionMethod/ds:DigestMethod").CreateAttr("Algorithm", AlgSHA1)
		}, ErrPolicyNoncompliance},
		{"attachment not encrypted", p.receiver, func(t *testing.T, m *encryptedMessage) {
			m.parts = append(m.parts, memPart("plain@attacker", "application/gzip", []byte("plaintext")))
		}, ErrPolicyNoncompliance},
		{"second attachment under an encrypted Content-ID", p.receiver, func(t *testing.T, m *encryptedMessage) {
			m.parts = append(m.parts, memPart(m.parts[0].ContentID, "application/octet-stream", readPart(t, m.parts[0])))
		}, ErrPolicyNoncompliance},
		{"encrypted data naming a missing attachment", p.receiver, func(t *testing.T, m *encryptedMessage) {
			m.parts = m.parts[:1]
		}, ErrPolicyNoncompliance},
		{"cipher reference without the ciphertext transform", p.receiver, func(t *testing.T, m *encryptedMessage) {
			tr := m.first(t, ".//xenc:EncryptedData/xenc:CipherData/xenc:CipherReference/xenc:Transforms/ds:Transform")
			tr.CreateAttr("Algorithm", "http://www.w3.org/2000/09/xmldsig#base64")
		}, ErrPolicyNoncompliance},
		{"encrypted data of element type", p.receiver, func(t *testing.T, m *encryptedMessage) {
			m.first(t, ".//xenc:EncryptedData").CreateAttr("Type", "http://www.w3.org/2001/04/xmlenc#Element")
		}, ErrPolicyNoncompliance},
		{"two encrypted keys", p.receiver, func(t *testing.T, m *encryptedMessage) {
			ek := m.first(t, ".//xenc:EncryptedKey")
			ek.Parent().AddChild(ek.Copy())
		}, ErrPolicyNoncompliance},
		{"data reference outside wsse:Security", p.receiver, func(t *testing.T, m *encryptedMessage) {
			ed := m.first(t, ".//xenc:EncryptedData")
			ed.Parent().RemoveChild(ed)
			m.e.body.AddChild(ed)
		}, ErrPolicyNoncompliance},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newEncrypted(t)
			if tt.attack != nil {
				tt.attack(t, m)
			}
			spool, dir := tempSpool(t)
			out, err := Decrypt(m.env, m.parts, tt.id, spool)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Decrypt error = %v, want %v", err, tt.want)
			}
			t.Logf("rejected: %v", err)
			if out != nil {
				t.Fatal("Decrypt returned parts with an error")
			}
			if left := spoolFiles(t, dir); len(left) != 0 {
				t.Fatalf("spool files left after failure: %v", left)
			}
		})
	}
}

func TestSwappedCiphertextsFailVerify(t *testing.T) {
	// Both parts share one content key, so swapping their ciphertexts
	// decrypts cleanly; the signature over each cid: must catch it.
	p := getPKI(t)
	m := newEncrypted(t)
	m.parts[0].Open, m.parts[1].Open = m.parts[1].Open, m.parts[0].Open
	spool, _ := tempSpool(t)
	dec, err := Decrypt(m.env, m.parts, p.receiver, spool)
	if err != nil {
		t.Fatalf("Decrypt: %v", err)
	}
	if _, err := Verify(m.env, dec, p.trust, testNow); !errors.Is(err, ErrFailedAuthentication) {
		t.Fatalf("Verify of swapped attachments: error = %v, want ErrFailedAuthentication", err)
	}
}

func TestDecryptWithoutEncryption(t *testing.T) {
	p := getPKI(t)
	env := loadEnvelope(t)
	if err := Sign(env, nil, p.sender, as4Security); err != nil {
		t.Fatal(err)
	}
	spool, _ := tempSpool(t)
	out, err := Decrypt(env, nil, p.receiver, spool)
	if err != nil || len(out) != 0 {
		t.Fatalf("signal-like message without parts: %v, %d parts", err, len(out))
	}
	parts := []Part{memPart("a@x", "application/gzip", []byte("plain"))}
	if _, err := Decrypt(env, parts, p.receiver, spool); !errors.Is(err, ErrPolicyNoncompliance) {
		t.Fatalf("unencrypted attachment: error = %v, want ErrPolicyNoncompliance", err)
	}
}

func TestEncryptRejectsPolicy(t *testing.T) {
	p := getPKI(t)
	parts := []Part{memPart("a@x", "application/gzip", []byte("x"))}
	tests := []struct {
		name string
		mod  func(s *secSuite)
	}{
		{"CBC data encryption", func(s *secSuite) { s.DataEncryptionAlgorithm = AlgAES128CBC }},
		{"rsa-oaep-mgf1p", func(s *secSuite) { s.KeyTransportAlgorithm = AlgRSAOAEPMGF1P }},
		{"sha1 OAEP digest", func(s *secSuite) { s.KeyTransportDigest = AlgSHA1 }},
		{"unknown MGF", func(s *secSuite) { s.KeyTransportMGF = "urn:x:mgf" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := as4Security
			tt.mod(&s)
			env := loadEnvelope(t)
			before, _ := env.WriteToBytes()
			if _, err := Encrypt(env, parts, p.receiver.Cert, s, rand.Reader); !errors.Is(err, ErrPolicyNoncompliance) {
				t.Fatalf("error = %v, want ErrPolicyNoncompliance", err)
			}
			if after, _ := env.WriteToBytes(); !bytes.Equal(before, after) {
				t.Fatal("refused Encrypt changed the envelope")
			}
		})
	}
}

func encodeB64(b []byte) string { return base64Std.EncodeToString(b) }

func TestDecryptBySubjectKeyIdentifier(t *testing.T) {
	// Some access points name the recipient by SKI instead of issuer and
	// serial; both must find our key.
	p := getPKI(t)
	m := newEncrypted(t)
	ki := m.first(t, ".//xenc:EncryptedKey/ds:KeyInfo")
	str := ki.FindElement("./wsse:SecurityTokenReference")
	str.RemoveChild(str.FindElement("./ds:X509Data"))
	kid := str.CreateElement("wsse:KeyIdentifier")
	kid.CreateAttr("ValueType", ValueTypeSKI)
	kid.CreateAttr("EncodingType", EncodingBase64)
	kid.SetText(encodeB64(p.receiver.Cert.SubjectKeyId))
	spool, _ := tempSpool(t)
	dec, err := Decrypt(m.env, m.parts, p.receiver, spool)
	if err != nil {
		t.Fatalf("Decrypt by SKI: %v", err)
	}
	if _, err := Verify(m.env, dec, p.trust, testNow); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	kid.SetText(encodeB64([]byte("another key id")))
	if _, err := Decrypt(m.env, m.parts, p.receiver, spool); !errors.Is(err, ErrFailedDecryption) {
		t.Fatalf("foreign SKI: error = %v, want ErrFailedDecryption", err)
	}
}

// TestDecryptSpoolsWhatMemoryMayNotHold: parts are decrypted in memory up to
// memPartLimit each and memPlainBudget together, the rest into spool files;
// a tampered part on either path fails and leaves no file.
func TestDecryptSpoolsWhatMemoryMayNotHold(t *testing.T) {
	p := getPKI(t)
	var parts []Part
	plain := map[string][]byte{}
	for i, size := range []int{60 << 10, 60 << 10, 60 << 10, 60 << 10, 60 << 10, 100 << 10, 10} {
		cid := fmt.Sprintf("p%d@x", i)
		plain[cid] = bytes.Repeat([]byte{byte('a' + i)}, size)
		parts = append(parts, memPart(cid, "application/octet-stream", plain[cid]))
	}
	env := loadEnvelope(t)
	if err := Sign(env, parts, p.sender, as4Security); err != nil {
		t.Fatal(err)
	}
	enc, err := Encrypt(env, parts, p.receiver.Cert, as4Security, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	env = wire(t, env)
	ciphertexts := materialize(t, enc)
	spool, dir := tempSpool(t)
	dec, err := Decrypt(env, ciphertexts, p.receiver, spool)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dec {
		if !bytes.Equal(readPart(t, d), plain[d.ContentID]) {
			t.Errorf("%s: decrypted content differs", d.ContentID)
		}
	}
	// 4 × 60 KiB fit the 256 KiB budget, the fifth does not; the 100 KiB
	// part is over memPartLimit; the 10 bytes fit what is left.
	if n := len(spoolFiles(t, dir)); n != 2 {
		t.Errorf("%d spool files, want 2 (the fifth 60 KiB part and the 100 KiB one)", n)
	}
	for _, i := range []int{0, 5} { // in memory, spooled
		tampered := slices.Clone(ciphertexts)
		ct := readPart(t, tampered[i])
		ct[len(ct)/2] ^= 1
		tampered[i] = memPart(tampered[i].ContentID, tampered[i].ContentType, ct)
		spool, dir := tempSpool(t)
		if _, err := Decrypt(env, tampered, p.receiver, spool); !errors.Is(err, ErrFailedDecryption) {
			t.Fatalf("part %d tampered: error = %v, want ErrFailedDecryption", i, err)
		}
		if left := spoolFiles(t, dir); len(left) != 0 {
			t.Fatalf("part %d tampered: spool files left: %v", i, left)
		}
	}
}
