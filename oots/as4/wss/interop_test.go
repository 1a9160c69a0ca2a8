package wss

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/beevik/etree"

	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

// writePEM writes der as a PEM block of the given type and returns the path.
func writePEM(t *testing.T, dir, name, typ string, der []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func writeFile(t *testing.T, path string, data []byte) string {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func writeDoc(t *testing.T, path string, doc *etree.Document) string {
	t.Helper()
	if err := doc.WriteToFile(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func readDoc(t *testing.T, path string) *etree.Document {
	t.Helper()
	f, err := os.Open(path)
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

// pkcs8 is an RSA key in PKCS#8 DER, as the Java helper reads keys.
func pkcs8(t *testing.T, k any) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(k.(*rsa.PrivateKey))
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// xmlsec1 returns the path of the xmlsec1 tool or skips the test.
func xmlsec1(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("xmlsec1")
	if err != nil {
		t.Skipf("xmlsec1 not installed (apt-get install xmlsec1): %v", err)
	}
	return path
}

// TestXmlsec1VerifiesOurSignature checks our signatures with libxmlsec1,
// which knows neither WS-Security tokens nor the SwA attachment transform.
// So: (1) an envelope without attachments is verified completely, the
// signer's key given with --pubkey-cert-pem and the wsu:Id attributes
// declared as IDs with --id-attr; (2) for an envelope with an attachment,
// a copy whose cid: reference lacks the SwA transform (an identity for
// application/* content) is checked with the attachment mapped to a file
// by --url-map: every digest must match, while the signature value then
// fails by construction because SignedInfo was changed; (3) a tampered
// envelope must fail.
func TestXmlsec1VerifiesOurSignature(t *testing.T) {
	tool := xmlsec1(t)
	p := getPKI(t)
	dir := t.TempDir()
	certPEM := writePEM(t, dir, "sender.pem", "CERTIFICATE", p.sender.Cert.Raw)
	run := func(args ...string) (string, error) {
		base := []string{"--verify", "--pubkey-cert-pem", certPEM, "--id-attr:Id", "Messaging", "--id-attr:Id", "Body"}
		out, err := exec.Command(tool, append(base, args...)...).CombinedOutput()
		return string(out), err
	}

	t.Run("whole signature without attachments", func(t *testing.T) {
		env := loadEnvelope(t)
		if err := Sign(env, nil, p.sender, as4Security); err != nil {
			t.Fatal(err)
		}
		out, err := run(writeDoc(t, filepath.Join(dir, "signed.xml"), env))
		if err != nil || !strings.Contains(out, "SignedInfo References (ok/all): 2/2") {
			t.Fatalf("xmlsec1 did not verify: %v\n%s", err, out)
		}
	})

	t.Run("digests with an attachment", func(t *testing.T) {
		env := loadEnvelope(t)
		att := writeFile(t, filepath.Join(dir, "payload.bin"), payload)
		parts := []Part{memPart("payload-1@vienreiz.lv", "application/gzip", payload)}
		if err := Sign(env, parts, p.sender, as4Security); err != nil {
			t.Fatal(err)
		}
		stripped := 0
		for _, r := range env.FindElements("//ds:Reference") {
			if strings.HasPrefix(r.SelectAttrValue("URI", ""), "cid:") {
				r.RemoveChild(r.FindElement("./ds:Transforms"))
				stripped++
			}
		}
		if stripped != 1 {
			t.Fatalf("stripped %d attachment transforms, want 1", stripped)
		}
		out, _ := run("--url-map:cid:payload-1@vienreiz.lv", att, writeDoc(t, filepath.Join(dir, "stripped.xml"), env))
		if !strings.Contains(out, "SignedInfo References (ok/all): 3/3") {
			t.Fatalf("xmlsec1 digests do not all match:\n%s", out)
		}
	})

	t.Run("tampered eb:Messaging fails", func(t *testing.T) {
		env := loadEnvelope(t)
		if err := Sign(env, nil, p.sender, as4Security); err != nil {
			t.Fatal(err)
		}
		env.FindElement("//eb:MessageId").SetText("forged@attacker")
		out, err := run(writeDoc(t, filepath.Join(dir, "tampered.xml"), env))
		if err == nil || !strings.Contains(out, "data and digest do not match") {
			t.Fatalf("xmlsec1 accepted a tampered envelope: %v\n%s", err, out)
		}
	})
}

// santuarioJars is the Debian layout of Apache Santuario and the jars
// it needs at run time.
var santuarioJars = []string{"xmlsec.jar", "slf4j-api.jar", "slf4j-nop.jar", "commons-codec.jar"}

// santuarioBuild compiles testdata/santuario once per test binary.
// TestMain removes its class folder after the run.
var santuarioBuild = sync.OnceValues(func() (string, error) {
	dir := santuarioClassDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	cp := santuarioClassPath("")
	src, _ := filepath.Abs(filepath.Join("testdata", "santuario", "WssInterop.java"))
	out, err := exec.Command("javac", "-nowarn", "-d", dir, "-cp", cp, src).CombinedOutput()
	if err != nil {
		return "", &javacError{out: string(out), err: err}
	}
	return dir, nil
})

// santuarioClassDir is this test process's folder for the compiled helper.
func santuarioClassDir() string {
	return filepath.Join(os.TempDir(), fmt.Sprintf("wss-santuario-%d", os.Getpid()))
}

func TestMain(m *testing.M) {
	code := m.Run()
	os.RemoveAll(santuarioClassDir())
	os.Exit(code)
}

type javacError struct {
	out string
	err error
}

func (e *javacError) Error() string { return "javac: " + e.err.Error() + "\n" + e.out }

func santuarioClassPath(classes string) string {
	var cp []string
	if classes != "" {
		cp = append(cp, classes)
	}
	for _, j := range santuarioJars {
		cp = append(cp, filepath.Join("/usr/share/java", j))
	}
	return strings.Join(cp, string(os.PathListSeparator))
}

// santuario returns a runner of the Java helper, or skips the test.
func santuario(t *testing.T) func(args ...string) (string, error) {
	t.Helper()
	for _, tool := range []string{"java", "javac"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (apt-get install default-jdk-headless): %v", tool, err)
		}
	}
	for _, j := range santuarioJars {
		if _, err := os.Stat(filepath.Join("/usr/share/java", j)); err != nil {
			t.Skipf("%s missing (apt-get install libxml-security-java libslf4j-java libcommons-codec-java): %v", j, err)
		}
	}
	classes, err := santuarioBuild()
	if err != nil {
		t.Fatalf("compiling the Santuario helper: %v", err)
	}
	return func(args ...string) (string, error) {
		out, err := exec.Command("java", append([]string{"-cp", santuarioClassPath(classes), "WssInterop"}, args...)...).CombinedOutput()
		return string(out), err
	}
}

func TestSantuarioInterop(t *testing.T) {
	java := santuario(t)
	p := getPKI(t)
	dir := t.TempDir()
	senderCert := writePEM(t, dir, "sender.pem", "CERTIFICATE", p.sender.Cert.Raw)
	receiverCert := writePEM(t, dir, "receiver.pem", "CERTIFICATE", p.receiver.Cert.Raw)
	senderKey := writePEM(t, dir, "sender.key", "PRIVATE KEY", pkcs8(t, p.sender.Key))
	receiverKey := writePEM(t, dir, "receiver.key", "PRIVATE KEY", pkcs8(t, p.receiver.Key))

	type att struct {
		cid, ctype string
		data       []byte
	}
	atts := []att{
		{"payload-1@vienreiz.lv", "application/gzip", bytes.Repeat([]byte("\x1f\x8b\x08 gzip bytes "), 4000)},
		{"evidence@vienreiz.lv", "application/xml", []byte(`<?xml version="1.0"?>` + "\n" + `<e:Evidence xmlns:e="urn:e" xmlns:unused="urn:u"  b="2" a="1"><e:Name>Bērziņš</e:Name><!-- c --></e:Evidence>`)},
		{"note@vienreiz.lv", "text/plain; charset=utf-8", []byte("one\ntwo\r\nthree\rfour")},
	}
	var parts []Part
	var attArgs []string
	for _, a := range atts {
		parts = append(parts, memPart(a.cid, a.ctype, a.data))
		attArgs = append(attArgs, a.cid, a.ctype, writeFile(t, filepath.Join(dir, "plain-"+a.cid), a.data))
	}

	t.Run("Santuario verifies our signature with attachments", func(t *testing.T) {
		env := loadEnvelope(t)
		if err := Sign(env, parts, p.sender, as4Security); err != nil {
			t.Fatal(err)
		}
		args := append([]string{"verify", writeDoc(t, filepath.Join(dir, "go-signed.xml"), env), senderCert}, attArgs...)
		out, err := java(args...)
		if err != nil || !strings.Contains(out, "verified 5 references") {
			t.Fatalf("Santuario rejected our signature: %v\n%s", err, out)
		}
	})

	t.Run("Santuario rejects our signature over a changed attachment", func(t *testing.T) {
		env := loadEnvelope(t)
		if err := Sign(env, parts, p.sender, as4Security); err != nil {
			t.Fatal(err)
		}
		changed := append([]string(nil), attArgs...)
		changed[2] = writeFile(t, filepath.Join(dir, "changed.bin"), []byte("\x1f\x8b other"))
		args := append([]string{"verify", writeDoc(t, filepath.Join(dir, "go-signed2.xml"), env), senderCert}, changed...)
		if out, err := java(args...); err == nil || !strings.Contains(out, "DIGEST MISMATCH") {
			t.Fatalf("Santuario accepted a changed attachment: %v\n%s", err, out)
		}
	})

	t.Run("Santuario decrypts our attachments", func(t *testing.T) {
		env := loadEnvelope(t)
		if err := Sign(env, parts, p.sender, as4Security); err != nil {
			t.Fatal(err)
		}
		enc, err := Encrypt(env, parts, p.receiver.Cert, as4Security, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		outDir := filepath.Join(dir, "santuario-plain")
		if err := os.Mkdir(outDir, 0o700); err != nil {
			t.Fatal(err)
		}
		args := []string{"decrypt", writeDoc(t, filepath.Join(dir, "go-encrypted.xml"), env), receiverKey, outDir}
		for _, c := range enc {
			args = append(args, c.ContentID, writeFile(t, filepath.Join(dir, "ct-"+c.ContentID), readPart(t, c)))
		}
		if out, err := java(args...); err != nil {
			t.Fatalf("Santuario could not decrypt: %v\n%s", err, out)
		}
		for _, a := range atts {
			got, err := os.ReadFile(filepath.Join(outDir, a.cid))
			if err != nil || !bytes.Equal(got, a.data) {
				t.Fatalf("Santuario's plaintext of %s differs (%v)", a.cid, err)
			}
		}
	})

	t.Run("we verify and decrypt a Santuario message", func(t *testing.T) {
		unsigned := writeDoc(t, filepath.Join(dir, "unsigned.xml"), loadEnvelope(t))
		signed := filepath.Join(dir, "j-signed.xml")
		out, err := java(append([]string{"sign", unsigned, signed, senderKey, senderCert}, attArgs...)...)
		if err != nil {
			t.Fatalf("Santuario sign: %v\n%s", err, out)
		}
		if b, err := os.ReadFile(signed); err != nil || !bytes.Contains(b, []byte(`PrefixList="xsd"`)) {
			t.Fatalf("Santuario's signature lacks the InclusiveNamespaces prefix list this test relies on (%v)", err)
		}
		encrypted := filepath.Join(dir, "j-encrypted.xml")
		args := []string{"encrypt", signed, encrypted, receiverCert}
		for i, a := range atts {
			args = append(args, a.cid, a.ctype, attArgs[3*i+2], filepath.Join(dir, "j-ct-"+a.cid))
		}
		if out, err := java(args...); err != nil {
			t.Fatalf("Santuario encrypt: %v\n%s", err, out)
		}
		var received []Part
		for _, a := range atts {
			ct, err := os.ReadFile(filepath.Join(dir, "j-ct-"+a.cid))
			if err != nil {
				t.Fatal(err)
			}
			received = append(received, memPart(a.cid, "application/octet-stream", ct))
		}
		env := readDoc(t, encrypted)
		spool, _ := tempSpool(t)
		dec, err := Decrypt(env, received, p.receiver, spool)
		if err != nil {
			t.Fatalf("Decrypt of Santuario's message: %v", err)
		}
		for i, a := range atts {
			if !bytes.Equal(readPart(t, dec[i]), a.data) || dec[i].ContentType != a.ctype {
				t.Fatalf("part %s: plaintext or type (%s) differs", a.cid, dec[i].ContentType)
			}
		}
		v, err := Verify(env, dec, p.trust, testNow)
		if err != nil {
			t.Fatalf("Verify of Santuario's signature: %v", err)
		}
		if len(v.References) != 5 {
			t.Fatalf("%d references, want 5", len(v.References))
		}
		// The receipt copies must carry the ec: prefix of WSS4J-style
		// InclusiveNamespaces along with ds:.
		doc := etree.NewDocument()
		doc.SetRoot(v.References[0].Copy())
		b, _ := doc.WriteToBytes()
		alone, err := xmlsafe.ParseBytes(b)
		if err != nil {
			t.Fatal(err)
		}
		in := alone.Root().FindElement(".//InclusiveNamespaces")
		if in == nil || in.NamespaceURI() != NSExcC14N {
			t.Fatalf("standalone reference lost the InclusiveNamespaces namespace:\n%s", b)
		}
	})
}
