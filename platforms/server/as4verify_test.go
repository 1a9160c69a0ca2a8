package main

import (
	"bytes"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/as4/keys"
	"github.com/vienreiz/vienreiz/oots/as4/keys/testpki"
	"github.com/vienreiz/vienreiz/oots/as4/pmode"
)

// TestAS4VerifyDescribesASavedMessage signs a message the way our sender
// does, saves it as an HTTP dump, and checks the verdict of as4-verify on
// it (exit 0), on a tampered copy (exit 1), and at a time the signer's
// certificate was not yet valid (exit 1).
func TestAS4VerifyDescribesASavedMessage(t *testing.T) {
	now := time.Now()
	pki, err := testpki.New(now)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := pki.Party("AP_LV_01")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	trust := filepath.Join(dir, "trust.pem")
	var pems []byte
	for _, c := range []*[]byte{&pki.Root.Raw, &pki.Issuer.Raw} {
		pems = append(pems, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: *c})...)
	}
	if err := os.WriteFile(trust, pems, 0o600); err != nil {
		t.Fatal(err)
	}

	recipient, err := pki.Party("AP_DE_01")
	if err != nil {
		t.Fatal(err)
	}
	p12, err := keys.EncodePKCS12(recipient, "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	keystore := filepath.Join(dir, "de.p12")
	if err := os.WriteFile(keystore, p12, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AS4_VERIFY_TEST_PASSWORD", "s3cret")

	// signed is a signed envelope of a QueryRequest carrying parts; with
	// encrypt, the parts are encrypted for AP_DE_01 as our sender does.
	signed := func(parts []as4.Part, encrypt bool) ([]byte, []as4.Part) {
		var infos []as4.PartInfo
		for _, p := range parts {
			infos = append(infos, as4.PartInfo{Href: "cid:" + p.ContentID, Properties: []as4.Property{{Name: as4.PartPropMimeType, Value: as4.MimeEbRS}}})
		}
		doc := as4.NewEnvelope(&as4.Messaging{User: &as4.UserMessage{
			MessageID: "saved@lv", Timestamp: now,
			From:    as4.Party{IDs: []as4.PartyID{{Value: "AP_LV_01", Type: as4.PartyIDTypeOOTS}}, Role: as4.GatewayRole},
			To:      as4.Party{IDs: []as4.PartyID{{Value: "AP_DE_01", Type: as4.PartyIDTypeOOTS}}, Role: as4.GatewayRole},
			Service: as4.OOTSService, ServiceType: as4.OOTSServiceType, Action: as4.ActionQueryRequest,
			ConversationID: "c1",
			Parts:          infos,
		}})
		if err := as4.WSS().Sign(doc, parts, signer, pmode.DefaultSecurity()); err != nil {
			t.Fatal(err)
		}
		if encrypt {
			var err error
			if parts, err = as4.WSS().Encrypt(doc, parts, recipient.Cert, pmode.DefaultSecurity(), nil); err != nil {
				t.Fatal(err)
			}
		}
		env, err := doc.WriteToBytes()
		if err != nil {
			t.Fatal(err)
		}
		return env, parts
	}
	mimeBody := func(env []byte, parts []as4.Part) []byte {
		var body bytes.Buffer
		if err := as4.WriteMIME(&body, "saved", env, parts); err != nil {
			t.Fatal(err)
		}
		return body.Bytes()
	}
	query := []as4.Part{as4.BytesPart("q@lv", as4.MimeEbRS, []byte("<query>Vienreiz</query>"))}
	body := bytes.NewBuffer(mimeBody(signed(query, false)))
	encrypted := filepath.Join(dir, "encrypted.mime")
	if err := os.WriteFile(encrypted, append([]byte("Content-Type: "+as4.MultipartContentType("saved")+"\r\n\r\n"), mimeBody(signed(query, true))...), 0o600); err != nil {
		t.Fatal(err)
	}
	dump := fmt.Sprintf("POST /as4 HTTP/1.1\r\nHost: ap.example\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s",
		as4.MultipartContentType("saved"), body.Len(), body.Bytes())
	valid := filepath.Join(dir, "valid.http")
	tampered := filepath.Join(dir, "tampered.http")
	if err := os.WriteFile(valid, []byte(dump), 0o600); err != nil {
		t.Fatal(err)
	}
	mimeFile := filepath.Join(dir, "saved.mime")
	if err := os.WriteFile(mimeFile, append([]byte("Content-Type: "+as4.MultipartContentType("saved")+"\r\n\r\n"), body.Bytes()...), 0o600); err != nil {
		t.Fatal(err)
	}
	bare := filepath.Join(dir, "envelope.xml")
	bareEnv, _ := signed(nil, false)
	if err := os.WriteFile(bare, bareEnv, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tampered, []byte(strings.Replace(dump, "Vienreiz", "Vienrei2", 1)), 0o600); err != nil {
		t.Fatal(err)
	}

	for _, tt := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"valid", []string{"-trust", trust, valid}, 0, []string{"reference: #_messaging", "reference: #_body", "reference: cid:q@lv", "signer: CN=AP_LV_01", "verdict: VALID"}},
		{"MIME file", []string{"-trust", trust, mimeFile}, 0, []string{"reference: cid:q@lv", "verdict: VALID"}},
		{"bare envelope", []string{"-trust", trust, bare}, 0, []string{"attachments: 0", "reference: #_body", "verdict: VALID"}},
		{"encrypted, with our key", []string{"-trust", trust, "-key", keystore, "-key-password-env", "AS4_VERIFY_TEST_PASSWORD", encrypted}, 0, []string{"decrypted", "reference: cid:q@lv", "verdict: VALID"}},
		{"encrypted, without a key", []string{"-trust", trust, encrypted}, 1, []string{"without -key", "verdict: INVALID"}},
		{"tampered", []string{"-trust", trust, tampered}, 1, []string{"reference: cid:q@lv", "verdict: INVALID", `digest of "cid:q@lv" does not match`}},
		{"before the certificate", []string{"-trust", trust, "-at", now.Add(-2 * time.Hour).UTC().Format(time.RFC3339), valid}, 1, []string{"verdict: INVALID", "not yet valid"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := runAS4Verify(tt.args, &stdout, &stderr)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tt.code, stdout.String(), stderr.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, stdout.String())
				}
			}
		})
	}
}
