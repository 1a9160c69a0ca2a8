package keys

import (
	"encoding/binary"
	"fmt"
)

// checkJKSBounds walks the structure of a JKS file and checks that every
// length and count fits in the bytes actually present, before the data
// reaches the keystore decoder, which trusts the length fields and would
// allocate whatever a hostile file claims (up to 4 GiB per field).
func checkJKSBounds(data []byte) error {
	r := jksReader{data: data}
	r.skip(4) // magic, checked by the caller
	version := r.u32("version")
	if r.err == nil && version != 1 && version != 2 {
		return fmt.Errorf("%w: JKS version %d, want 1 or 2", ErrFormat, version)
	}
	count := r.u32("entry count")
	for i := uint32(0); i < count && r.err == nil; i++ {
		tag := r.u32("entry tag")
		r.bytes16("alias")
		r.skip(8) // creation time
		switch tag {
		case 1: // private key entry
			r.bytes32("private key")
			n := r.u32("chain length")
			for j := uint32(0); j < n && r.err == nil; j++ {
				r.cert(version)
			}
		case 2: // trusted certificate entry
			r.cert(version)
		default:
			if r.err == nil {
				return fmt.Errorf("%w: JKS entry %d has tag %d at offset %d, want 1 or 2", ErrFormat, i, tag, r.off-4)
			}
		}
	}
	r.skip(20) // SHA-1 integrity digest
	if r.err != nil {
		return r.err
	}
	if r.off != len(data) {
		return fmt.Errorf("%w: JKS has %d bytes after the integrity digest", ErrFormat, len(data)-r.off)
	}
	return nil
}

// jksReader reads big-endian fields and records the first overrun.
type jksReader struct {
	data []byte
	off  int
	err  error
}

func (r *jksReader) need(n uint64, what string) bool {
	if r.err != nil {
		return false
	}
	if n > uint64(len(r.data)-r.off) {
		r.err = fmt.Errorf("%w: JKS %s at offset %d claims %d bytes, only %d left", ErrFormat, what, r.off, n, len(r.data)-r.off)
		return false
	}
	return true
}

func (r *jksReader) skip(n int) {
	if r.need(uint64(n), "field") {
		r.off += n
	}
}

func (r *jksReader) u32(what string) uint32 {
	if !r.need(4, what) {
		return 0
	}
	v := binary.BigEndian.Uint32(r.data[r.off:])
	r.off += 4
	return v
}

func (r *jksReader) bytes16(what string) {
	if !r.need(2, what) {
		return
	}
	n := binary.BigEndian.Uint16(r.data[r.off:])
	r.off += 2
	if r.need(uint64(n), what) {
		r.off += int(n)
	}
}

func (r *jksReader) bytes32(what string) {
	n := r.u32(what + " length")
	if r.need(uint64(n), what) {
		r.off += int(n)
	}
}

func (r *jksReader) cert(version uint32) {
	if version == 2 {
		r.bytes16("certificate type")
	}
	r.bytes32("certificate")
}
