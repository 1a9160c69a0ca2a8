package wss

import (
	"bytes"
	"testing"
)

// TestEncryptWithoutRandUsesCryptoRand: a nil randomness source means
// crypto/rand, not a panic, and the result decrypts.
func TestEncryptWithoutRandUsesCryptoRand(t *testing.T) {
	p := getPKI(t)
	env := loadEnvelope(t)
	plain := []byte("evidence")
	enc, err := Encrypt(env, []Part{memPart("p1@vienreiz", "application/octet-stream", plain)}, p.receiver.Cert, as4Security, nil)
	if err != nil || len(enc) != 1 {
		t.Fatalf("Encrypt with nil rand: %d parts, %v", len(enc), err)
	}
	spool, _ := tempSpool(t)
	dec, err := Decrypt(wire(t, env), materialize(t, enc), p.receiver, spool)
	if err != nil {
		t.Fatal(err)
	}
	if got := readPart(t, dec[0]); !bytes.Equal(got, plain) {
		t.Fatalf("decrypted %q", got)
	}
}
