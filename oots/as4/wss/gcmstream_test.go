package wss

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"
)

// stdGCM seals with the standard library's one-shot AES-GCM, the reference.
func stdGCM(t testing.TB, key, iv, plain []byte) []byte {
	t.Helper()
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	return aead.Seal(append([]byte(nil), iv...), iv, plain, nil)
}

func TestGCMStreamMatchesStdlib(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	sizes := []int{0, 1, 15, 16, 17, 31, 32, 33, 255, 256, 4095, 4096, 4097, 65535, 65536, 65537, 65536 + 16, 200003, 1 << 20}
	for i := 0; i < 30; i++ {
		sizes = append(sizes, rng.IntN(100000))
	}
	for _, keyLen := range []int{16, 32} {
		for _, size := range sizes {
			key := make([]byte, keyLen)
			iv := make([]byte, gcmIVSize)
			plain := make([]byte, size)
			fill(rng, key, iv, plain)
			want := stdGCM(t, key, iv, plain)

			// Seal through readers that hand out odd-sized pieces.
			sr, err := newGCMSealReader(iotest.HalfReader(bytes.NewReader(plain)), key, iv)
			if err != nil {
				t.Fatal(err)
			}
			var got []byte
			if size <= 5000 {
				got, err = io.ReadAll(iotest.OneByteReader(sr))
			} else {
				got, err = io.ReadAll(sr)
			}
			if err != nil {
				t.Fatalf("key %d size %d: seal: %v", keyLen, size, err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("key %d size %d: streaming seal differs from crypto/cipher", keyLen, size)
			}

			var out bytes.Buffer
			n, err := gcmOpen(&out, iotest.HalfReader(bytes.NewReader(want)), key)
			if err != nil {
				t.Fatalf("key %d size %d: open: %v", keyLen, size, err)
			}
			if n != int64(size) || !bytes.Equal(out.Bytes(), plain) {
				t.Fatalf("key %d size %d: open returned %d bytes, different plaintext", keyLen, size, n)
			}
		}
	}
}

func fill(rng *rand.Rand, bufs ...[]byte) {
	for _, b := range bufs {
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
	}
}

func TestGCMOpenRejectsTampering(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 16)
	iv := bytes.Repeat([]byte{9}, 12)
	plain := bytes.Repeat([]byte("evidence "), 5000)
	sealed := stdGCM(t, key, iv, plain)
	flip := func(i int) []byte {
		c := append([]byte(nil), sealed...)
		c[i] ^= 1
		return c
	}
	tests := []struct {
		name string
		in   []byte
		key  []byte
	}{
		{"flipped iv bit", flip(0), key},
		{"flipped ciphertext bit", flip(len(sealed) / 2), key},
		{"flipped tag bit", flip(len(sealed) - 1), key},
		{"truncated tag", sealed[:len(sealed)-1], key},
		{"appended byte", append(append([]byte(nil), sealed...), 0), key},
		{"only iv and half a tag", sealed[:gcmIVSize+8], key},
		{"wrong key", sealed, bytes.Repeat([]byte{8}, 16)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := gcmOpen(io.Discard, bytes.NewReader(tt.in), tt.key)
			if !errors.Is(err, errTagMismatch) {
				t.Fatalf("error = %v, want tag mismatch", err)
			}
		})
	}
	if _, err := gcmOpen(io.Discard, bytes.NewReader(sealed[:5]), key); err == nil {
		t.Fatal("input shorter than the iv: no error")
	}
}

func TestGHASHAgainstBitwiseMultiply(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 200; i++ {
		var h [16]byte
		fill(rng, h[:])
		g := newGHASH(h[:])
		x := elem{rng.Uint64(), rng.Uint64()}
		hv := elem{be64(h[:8]), be64(h[8:])}
		if got, want := g.mulH(x), slowMul(x, hv); got != want {
			t.Fatalf("case %d: table multiply %x, bitwise %x", i, got, want)
		}
	}
}

// slowMul is the bit-by-bit multiplication of SP 800-38D Algorithm 1.
func slowMul(x, y elem) elem {
	var z elem
	v := y
	for i := 0; i < 128; i++ {
		var bit uint64
		if i < 64 {
			bit = x.hi >> (63 - i) & 1
		} else {
			bit = x.lo >> (127 - i) & 1
		}
		if bit == 1 {
			z.hi ^= v.hi
			z.lo ^= v.lo
		}
		v = v.timesX()
	}
	return z
}

func be64(b []byte) uint64 {
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	return v
}

// FuzzGCMOpen checks the streaming opener against crypto/cipher on
// arbitrary ciphertexts: both must accept the same inputs and yield the
// same plaintext.
func FuzzGCMOpen(f *testing.F) {
	key := bytes.Repeat([]byte{5}, 16)
	f.Add(stdGCM(f, key, make([]byte, 12), []byte("seed plaintext of a few blocks, 48 bytes long..")))
	f.Add([]byte("short"))
	f.Fuzz(func(t *testing.T, sealed []byte) {
		var out bytes.Buffer
		_, err := gcmOpen(&out, bytes.NewReader(sealed), key)
		block, _ := aes.NewCipher(key)
		aead, _ := cipher.NewGCM(block)
		var want []byte
		var werr error = errTagMismatch
		if len(sealed) >= gcmIVSize+gcmTagSize {
			want, werr = aead.Open(nil, sealed[:gcmIVSize], sealed[gcmIVSize:], nil)
		}
		if (err == nil) != (werr == nil) {
			t.Fatalf("streaming open error %v, crypto/cipher error %v", err, werr)
		}
		if err == nil && !bytes.Equal(out.Bytes(), want) {
			t.Fatal("plaintexts differ")
		}
	})
}

func BenchmarkGHASH1MiB(b *testing.B) {
	data := make([]byte, 1<<20)
	g := newGHASH(bytes.Repeat([]byte{3}, 16))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		g.update(data)
	}
}
