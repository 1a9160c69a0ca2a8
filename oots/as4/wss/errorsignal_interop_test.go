package wss

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// errorSignal is an ebMS error signal as a WSS4J-based access point
// answers a message it could not deliver (EBMS:0202), unsigned.
const errorSignal = `<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <env:Header>
    <eb:Messaging xmlns:eb="http://docs.oasis-open.org/ebxml-msg/ebms/v3.0/ns/core/200704/" env:mustUnderstand="true">
      <eb:SignalMessage>
        <eb:MessageInfo>
          <eb:Timestamp>2026-11-25T10:00:01.000Z</eb:Timestamp>
          <eb:MessageId>err-0001@ap.ee.example</eb:MessageId>
          <eb:RefToMessageId>5d1c7d1e-wss-test-0001@vienreiz.lv</eb:RefToMessageId>
        </eb:MessageInfo>
        <eb:Error category="Communication" errorCode="EBMS:0202" origin="ebMS" refToMessageInError="5d1c7d1e-wss-test-0001@vienreiz.lv" severity="failure" shortDescription="DeliveryFailure">
          <eb:ErrorDetail>back office down</eb:ErrorDetail>
        </eb:Error>
      </eb:SignalMessage>
    </eb:Messaging>
  </env:Header>
  <env:Body/>
</env:Envelope>
`

// TestSantuarioSignedErrorSignalVerifies (issue 10: "a signed error from
// the peer is verified"): an ebMS error signal signed by Apache Santuario
// the way WSS4J signs (BST reference, exclusive C14N with
// InclusiveNamespaces over eb:Messaging and the Body) verifies as the
// signer's; the same signal with its error code changed does not.
func TestSantuarioSignedErrorSignalVerifies(t *testing.T) {
	java := santuario(t)
	p := getPKI(t)
	dir := t.TempDir()
	cert := writePEM(t, dir, "peer.pem", "CERTIFICATE", p.sender.Cert.Raw)
	key := writePEM(t, dir, "peer.key", "PRIVATE KEY", pkcs8(t, p.sender.Key))
	unsigned := writeFile(t, filepath.Join(dir, "error.xml"), []byte(errorSignal))
	signed := filepath.Join(dir, "error-signed.xml")
	if out, err := java("sign", unsigned, signed, key, cert); err != nil || !strings.Contains(out, "signed with 2 references") {
		t.Fatalf("Santuario sign: %v\n%s", err, out)
	}
	v, err := Verify(readDoc(t, signed), nil, p.trust, testNow)
	if err != nil {
		t.Fatalf("Santuario's signed error signal does not verify: %v", err)
	}
	if !v.Cert.Equal(p.sender.Cert) || len(v.References) != 2 {
		t.Fatalf("verified as %s with %d references; want the peer's certificate and 2", v.Cert.Subject, len(v.References))
	}
	b, err := os.ReadFile(signed)
	if err != nil {
		t.Fatal(err)
	}
	forged := writeFile(t, filepath.Join(dir, "error-forged.xml"), []byte(strings.Replace(string(b), `errorCode="EBMS:0202"`, `errorCode="EBMS:0004"`, 1)))
	if _, err := Verify(readDoc(t, forged), nil, p.trust, testNow); err == nil {
		t.Fatal("an error signal with a changed code verified")
	}
}
