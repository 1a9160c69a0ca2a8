package wss

import (
	"bytes"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"io"
	"testing"
	"time"
)

// The benchmarks here time our code and a baseline alternately inside one
// loop and report the ratio, so that load from other processes on a
// shared machine hits both sides alike; ns/op covers both sides.

// BenchmarkGCMStreamVsStdlib reports streaming AES-128-GCM seal and open
// of 16 MiB as multiples of crypto/cipher's one-shot AEAD time (x-stdlib).
func BenchmarkGCMStreamVsStdlib(b *testing.B) {
	key := bytes.Repeat([]byte{1}, 16)
	iv := bytes.Repeat([]byte{2}, 12)
	plain := make([]byte, 16<<20)
	block, _ := aes.NewCipher(key)
	aead, _ := cipher.NewGCM(block)
	sealed := aead.Seal(append([]byte(nil), iv...), iv, plain, nil)
	buf := make([]byte, 64<<10)
	dst := make([]byte, 0, len(plain)+16)

	b.Run("seal", func(b *testing.B) {
		var ours, base time.Duration
		b.SetBytes(int64(len(plain)))
		for b.Loop() {
			t := time.Now()
			dst = aead.Seal(dst[:0], iv, plain, nil)
			base += time.Since(t)
			t = time.Now()
			sr, _ := newGCMSealReader(bytes.NewReader(plain), key, iv)
			if _, err := io.CopyBuffer(io.Discard, sr, buf); err != nil {
				b.Fatal(err)
			}
			ours += time.Since(t)
		}
		b.ReportMetric(float64(ours)/float64(base), "x-stdlib")
	})
	b.Run("open", func(b *testing.B) {
		var ours, base time.Duration
		b.SetBytes(int64(len(plain)))
		for b.Loop() {
			t := time.Now()
			if _, err := aead.Open(dst[:0], iv, sealed[12:], nil); err != nil {
				b.Fatal(err)
			}
			base += time.Since(t)
			t = time.Now()
			if _, err := gcmOpen(io.Discard, bytes.NewReader(sealed), key); err != nil {
				b.Fatal(err)
			}
			ours += time.Since(t)
		}
		b.ReportMetric(float64(ours)/float64(base), "x-stdlib")
	})
}

// BenchmarkMessageVsRSA reports Sign+Encrypt and Decrypt+Verify of a small
// message (4 KiB payload) as multiples of the bare RSA-2048 operations they
// cannot avoid (x-rsa): one PKCS#1 v1.5 signature plus one OAEP encryption
// on send, one OAEP decryption plus one signature check on receive.
func BenchmarkMessageVsRSA(b *testing.B) {
	p := getPKI(b)
	parts := benchParts()
	senderKey := p.sender.Key.(*rsa.PrivateKey)
	receiverKey := p.receiver.Key.(*rsa.PrivateKey)
	digest := sha256.Sum256([]byte("baseline"))
	opts := &rsa.OAEPOptions{Hash: crypto.SHA256, MGFHash: crypto.SHA256}
	base := loadEnvelope(b)

	b.Run("sign+encrypt", func(b *testing.B) {
		var ours, rsaOnly time.Duration
		b.ReportAllocs()
		for b.Loop() {
			t := time.Now()
			sig, _ := rsa.SignPKCS1v15(rand.Reader, senderKey, crypto.SHA256, digest[:])
			if _, err := rsa.EncryptOAEPWithOptions(rand.Reader, &receiverKey.PublicKey, digest[:16], opts); err != nil || sig == nil {
				b.Fatal(err)
			}
			rsaOnly += time.Since(t)
			t = time.Now()
			env := newDoc(base)
			if err := Sign(env, parts, p.sender, as4Security); err != nil {
				b.Fatal(err)
			}
			enc, err := Encrypt(env, parts, p.receiver.Cert, as4Security, rand.Reader)
			if err != nil {
				b.Fatal(err)
			}
			rc, _ := enc[0].Open()
			io.Copy(io.Discard, rc)
			if _, err := env.WriteToBytes(); err != nil {
				b.Fatal(err)
			}
			ours += time.Since(t)
		}
		b.ReportMetric(float64(ours)/float64(rsaOnly), "x-rsa")
	})

	b.Run("decrypt+verify", func(b *testing.B) {
		env := newDoc(base)
		if err := Sign(env, parts, p.sender, as4Security); err != nil {
			b.Fatal(err)
		}
		enc, err := Encrypt(env, parts, p.receiver.Cert, as4Security, rand.Reader)
		if err != nil {
			b.Fatal(err)
		}
		wireBytes, _ := env.WriteToBytes()
		received := materialize(b, enc)
		wrapped, _ := rsa.EncryptOAEPWithOptions(rand.Reader, &receiverKey.PublicKey, digest[:16], opts)
		sig, _ := rsa.SignPKCS1v15(rand.Reader, senderKey, crypto.SHA256, digest[:])
		dir := b.TempDir()
		var ours, rsaOnly time.Duration
		b.ReportAllocs()
		for b.Loop() {
			t := time.Now()
			if _, err := receiverKey.Decrypt(rand.Reader, wrapped, opts); err != nil {
				b.Fatal(err)
			}
			if err := rsa.VerifyPKCS1v15(&senderKey.PublicKey, crypto.SHA256, digest[:], sig); err != nil {
				b.Fatal(err)
			}
			rsaOnly += time.Since(t)
			t = time.Now()
			doc, err := parseWire(wireBytes)
			if err != nil {
				b.Fatal(err)
			}
			files := &fileSpool{dir: dir}
			dec, err := Decrypt(doc, received, p.receiver, files.create)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := Verify(doc, dec, p.trust, testNow); err != nil {
				b.Fatal(err)
			}
			ours += time.Since(t)
			files.removeAll()
		}
		b.ReportMetric(float64(ours)/float64(rsaOnly), "x-rsa")
	})
}

// nowNano is a monotonic clock reading in nanoseconds for ratio benchmarks.
func nowNano() int64 { return int64(time.Since(benchEpoch)) }

// benchEpoch anchors nowNano.
var benchEpoch = time.Now()
