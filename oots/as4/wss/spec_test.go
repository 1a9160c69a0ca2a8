package wss

import (
	"crypto/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/vienreiz/vienreiz/internal/spectest"
	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

// envelopeAround puts an eb:Messaging header from the spec samples into a
// SOAP 1.2 envelope and returns it with one part per eb:PartInfo href.
func envelopeAround(t *testing.T, messagingFile string) (*etree.Document, []Part) {
	t.Helper()
	f, err := os.Open(messagingFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	hdr, err := xmlsafe.Parse(f, 0)
	if err != nil {
		t.Fatalf("%s: %v", messagingFile, err)
	}
	doc := etree.NewDocument()
	root := doc.CreateElement("env:Envelope")
	root.CreateAttr("xmlns:env", NSSoap12)
	root.CreateElement("env:Header").AddChild(hdr.Root().Copy())
	root.CreateElement("env:Body")
	var parts []Part
	for _, pi := range doc.FindElements("//eb:PartInfo") {
		if cid, ok := strings.CutPrefix(pi.SelectAttrValue("href", ""), "cid:"); ok {
			parts = append(parts, memPart(cid, "application/gzip", []byte("\x1f\x8b payload of "+cid)))
		}
	}
	return doc, parts
}

// TestSpecHeadersSignEncryptValidate signs and encrypts an envelope around
// every OOTS ebMS header sample, checks the result against the SOAP 1.2 and
// ebMS3 schemas with xmllint, and decrypts and verifies it.
func TestSpecHeadersSignEncryptValidate(t *testing.T) {
	spec := spectest.Dir(t)
	files, err := filepath.Glob(filepath.Join(spec, "as4", "v2.0", "oots-france-ebms-headers", "*.entete.xml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no ebMS header samples found: %v", err)
	}
	xmllint, lintErr := exec.LookPath("xmllint")
	schema := filepath.Join(spec, "xsd", "ebms3", "oots-validation-entry-ebms3.xsd")
	p := getPKI(t)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			env, parts := envelopeAround(t, file)
			if err := Sign(env, parts, p.sender, as4Security); err != nil {
				t.Fatalf("Sign: %v", err)
			}
			enc, err := Encrypt(env, parts, p.receiver.Cert, as4Security, rand.Reader)
			if err != nil {
				t.Fatalf("Encrypt: %v", err)
			}
			if lintErr != nil {
				t.Logf("xmllint not installed (apt-get install libxml2-utils), schema check skipped: %v", lintErr)
			} else {
				path := writeDoc(t, filepath.Join(t.TempDir(), "signed.xml"), env)
				out, err := exec.Command(xmllint, "--noout", "--schema", schema, path).CombinedOutput()
				if err != nil {
					t.Fatalf("signed envelope is not schema-valid: %v\n%s", err, out)
				}
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
		})
	}
}
