package wss

import "encoding/binary"

// ghash computes the GCM universal hash (NIST SP 800-38D, 6.4) with an
// 8-bit table: 256 precomputed multiples of the hash key H, so one 16-byte
// block costs 16 table look-ups and 16 byte-wide shifts instead of 128
// bit-steps. Per-position tables (16×256 or 32×16 entries, no shifts)
// measured no faster here: the 6 KiB of this layout stay in L1 cache.
// Elements are held as two big-endian 64-bit halves; bit 0 of hi
// (its most significant bit) is the coefficient of x^0, as GCM numbers them.
type ghash struct {
	mul    [256]elem // mul[b] = H · b, b read as the polynomial of its 8 bits
	reduce [256]uint64
	y      elem     // running hash value
	pend   [16]byte // bytes of an unfinished block
	npend  int
}

// elem is one element of GF(2^128) in GCM bit order.
type elem struct{ hi, lo uint64 }

// gcmR is the top byte of the GCM reduction polynomial x^128 = 1+x+x^2+x^7.
const gcmR = 0xe1 << 56

// timesX multiplies e by x: a right shift, folding x^128 back in.
func (e elem) timesX() elem {
	carry := e.lo & 1
	e.lo = e.lo>>1 | e.hi<<63
	e.hi >>= 1
	if carry != 0 {
		e.hi ^= gcmR
	}
	return e
}

// newGHASH builds the tables for hash key h (16 bytes).
func newGHASH(h []byte) *ghash {
	g := &ghash{}
	base := elem{binary.BigEndian.Uint64(h[:8]), binary.BigEndian.Uint64(h[8:16])}
	// The byte value 0x80 is the polynomial 1, 0x40 is x, ... 0x01 is x^7.
	for bit := 0x80; bit > 0; bit >>= 1 {
		g.mul[bit] = base
		base = base.timesX()
	}
	for b := 2; b < 256; b <<= 1 {
		for low := 1; low < b; low++ {
			g.mul[b|low] = elem{g.mul[b].hi ^ g.mul[low].hi, g.mul[b].lo ^ g.mul[low].lo}
		}
	}
	// reduce[d] is what the eight bits d falling off the low end of an
	// element contribute to hi after a shift by 8 (multiplication by x^8).
	for d := range 256 {
		e := elem{0, uint64(d)}
		for range 8 {
			e = e.timesX()
		}
		g.reduce[d] = e.hi
	}
	return g
}

// mulH replaces e by e·H using Horner's rule over the bytes of e, last first.
func (g *ghash) mulH(e elem) elem {
	var z elem
	for i := 0; i < 16; i++ {
		var b byte
		if i < 8 {
			b = byte(e.lo >> (8 * i))
		} else {
			b = byte(e.hi >> (8 * (i - 8)))
		}
		if i > 0 {
			drop := z.lo & 0xff
			z.lo = z.lo>>8 | z.hi<<56
			z.hi = z.hi>>8 ^ g.reduce[drop]
		}
		z.hi ^= g.mul[b].hi
		z.lo ^= g.mul[b].lo
	}
	return z
}

// update hashes p, which may split blocks anywhere: a partial block waits
// in pend until more bytes arrive or finish pads it with zeros.
func (g *ghash) update(p []byte) {
	if g.npend > 0 {
		n := copy(g.pend[g.npend:], p)
		g.npend += n
		p = p[n:]
		if g.npend < 16 {
			return
		}
		g.block(g.pend[:])
		g.npend = 0
	}
	for len(p) >= 16 {
		g.block(p[:16])
		p = p[16:]
	}
	g.npend = copy(g.pend[:], p)
}

// block folds one full 16-byte block into the hash.
func (g *ghash) block(b []byte) {
	g.y.hi ^= binary.BigEndian.Uint64(b[:8])
	g.y.lo ^= binary.BigEndian.Uint64(b[8:16])
	g.y = g.mulH(g.y)
}

// finish hashes the length block (bit lengths of the additional data and
// the ciphertext) and returns the 16-byte hash.
func (g *ghash) finish(aadLen, ctLen uint64) [16]byte {
	if g.npend > 0 {
		clear(g.pend[g.npend:])
		g.block(g.pend[:])
		g.npend = 0
	}
	g.y.hi ^= aadLen * 8
	g.y.lo ^= ctLen * 8
	g.y = g.mulH(g.y)
	var out [16]byte
	binary.BigEndian.PutUint64(out[:8], g.y.hi)
	binary.BigEndian.PutUint64(out[8:], g.y.lo)
	return out
}
