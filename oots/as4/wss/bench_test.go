package wss

import (
	"bytes"
	"crypto/rand"
	"os"
	"testing"

	"github.com/beevik/etree"
)

// benchParts is a small AS4 message's payload: one 4 KiB compressed part.
func benchParts() []Part {
	return []Part{memPart("payload-1@vienreiz.lv", "application/gzip", bytes.Repeat([]byte{0x1f, 0x8b, 7, 3}, 1024))}
}

func BenchmarkSignEncrypt(b *testing.B) {
	p := getPKI(b)
	parts := benchParts()
	base := loadEnvelope(b)
	b.ReportAllocs()
	for b.Loop() {
		env := etree.NewDocument()
		env.SetRoot(base.Root().Copy())
		if err := Sign(env, parts, p.sender, as4Security); err != nil {
			b.Fatal(err)
		}
		enc, err := Encrypt(env, parts, p.receiver.Cert, as4Security, rand.Reader)
		if err != nil {
			b.Fatal(err)
		}
		readPart(b, enc[0])
	}
}

func BenchmarkDecryptVerify(b *testing.B) {
	p := getPKI(b)
	parts := benchParts()
	env := loadEnvelope(b)
	if err := Sign(env, parts, p.sender, as4Security); err != nil {
		b.Fatal(err)
	}
	enc, err := Encrypt(env, parts, p.receiver.Cert, as4Security, rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	wireBytes, _ := env.WriteToBytes()
	received := materialize(b, enc)
	dir := b.TempDir()
	var files []*os.File
	spool := func() (*os.File, error) {
		f, err := os.CreateTemp(dir, "part-*")
		files = append(files, f)
		return f, err
	}
	b.ReportAllocs()
	for b.Loop() {
		doc := etree.NewDocument()
		if err := doc.ReadFromBytes(wireBytes); err != nil {
			b.Fatal(err)
		}
		dec, err := Decrypt(doc, received, p.receiver, spool)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Verify(doc, dec, p.trust, testNow); err != nil {
			b.Fatal(err)
		}
		for _, f := range files {
			f.Close()
			os.Remove(f.Name())
		}
		files = files[:0]
	}
}
