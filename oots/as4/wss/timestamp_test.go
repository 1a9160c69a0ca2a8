package wss

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSantuarioSignedTimestamp: a WSS4J-style signature whose references
// also cover the header's wsu:Timestamp is valid; moving the timestamp out
// of the security header (so the reference points elsewhere) is refused.
func TestSantuarioSignedTimestamp(t *testing.T) {
	java := santuario(t)
	p := getPKI(t)
	dir := t.TempDir()
	key := writePEM(t, dir, "sender.key", "PRIVATE KEY", pkcs8(t, p.sender.Key))
	cert := writePEM(t, dir, "sender.pem", "CERTIFICATE", p.sender.Cert.Raw)
	signed := filepath.Join(dir, "ts-signed.xml")
	if out, err := java("sign-ts", writeDoc(t, filepath.Join(dir, "unsigned.xml"), loadEnvelope(t)), signed, key, cert); err != nil {
		t.Fatalf("Santuario sign-ts: %v\n%s", err, out)
	}
	env := readDoc(t, signed)
	v, err := Verify(env, nil, p.trust, testNow)
	if err != nil {
		t.Fatalf("Verify of a signature covering wsu:Timestamp: %v", err)
	}
	if len(v.References) != 3 {
		t.Fatalf("%d references verified, want 3 (Timestamp, Messaging, Body)", len(v.References))
	}

	// The same timestamp moved into the SOAP Body: the reference now
	// points outside what may be signed.
	b, _ := os.ReadFile(signed)
	moved := readDoc(t, signed)
	root := moved.Root()
	var header, body, ts = root.SelectElement("Header"), root.SelectElement("Body"), moved.FindElement("//Timestamp")
	if header == nil || body == nil || ts == nil {
		t.Fatalf("unexpected Santuario output:\n%s", b)
	}
	ts.Parent().RemoveChild(ts)
	body.AddChild(ts)
	if _, err := Verify(moved, nil, p.trust, testNow); err == nil || !strings.Contains(err.Error(), "may be signed") {
		t.Fatalf("Verify with the signed timestamp moved into the Body = %v; want a policy refusal", err)
	}
}

// TestSantuarioVerifiesOurSignedTimestamp: with the P-Mode's
// signTimestamp our signature covers a wsu:Timestamp too, and both
// Santuario and our own Verify accept it.
func TestSantuarioVerifiesOurSignedTimestamp(t *testing.T) {
	java := santuario(t)
	p := getPKI(t)
	dir := t.TempDir()
	sec := as4Security
	sec.SignTimestamp = true
	env := loadEnvelope(t)
	if err := Sign(env, nil, p.sender, sec); err != nil {
		t.Fatal(err)
	}
	if env.FindElement("//Security/Timestamp/Created") == nil {
		t.Fatal("no wsu:Timestamp in the security header")
	}
	out, err := java("verify", writeDoc(t, filepath.Join(dir, "go-ts.xml"), env), writePEM(t, dir, "sender.pem", "CERTIFICATE", p.sender.Cert.Raw))
	if err != nil || !strings.Contains(out, "verified 3 references") {
		t.Fatalf("Santuario on our signed timestamp: %v\n%s", err, out)
	}
	if v, err := Verify(env, nil, p.trust, testNow); err != nil || len(v.References) != 3 {
		t.Fatalf("Verify: %v", err)
	}
}
