package wss

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Layout of an xmlenc11 AES-GCM cipher value: IV, ciphertext, tag.
const (
	gcmIVSize  = 12
	gcmTagSize = 16
	// gcmMaxPlain is the NIST SP 800-38D limit: 2^32-2 blocks of 16 bytes.
	gcmMaxPlain = (1<<32 - 2) * 16
)

// gcmState is the keyed state shared by sealing and opening: the CTR key
// stream starting at inc32(J0), the GHASH of the ciphertext, and E(K, J0).
type gcmState struct {
	ctr  cipher.Stream
	hash *ghash
	ekj0 [16]byte
	n    uint64 // ciphertext bytes hashed so far
}

// newGCMState starts GCM for key and a 12-byte iv.
func newGCMState(key, iv []byte) (*gcmState, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("aes-gcm key: %w", err)
	}
	if len(iv) != gcmIVSize {
		return nil, fmt.Errorf("aes-gcm iv: %d bytes, want %d", len(iv), gcmIVSize)
	}
	var h, j0 [16]byte
	block.Encrypt(h[:], h[:])
	copy(j0[:], iv)
	j0[15] = 1
	s := &gcmState{hash: newGHASH(h[:])}
	block.Encrypt(s.ekj0[:], j0[:])
	// The first data block uses inc32(J0). cipher.NewCTR increments all 128
	// bits, which equals inc32 until the low word wraps after 2^32 blocks;
	// gcmMaxPlain keeps every message below that.
	binary.BigEndian.PutUint32(j0[12:], 2)
	s.ctr = cipher.NewCTR(block, j0[:])
	return s, nil
}

// tag returns the authentication tag over everything hashed so far.
func (s *gcmState) tag() [16]byte {
	t := s.hash.finish(0, s.n)
	subtle.XORBytes(t[:], t[:], s.ekj0[:])
	return t
}

// gcmSealReader encrypts a plaintext stream on the fly and yields
// IV ‖ ciphertext ‖ tag, the xmlenc11 aes-gcm octet layout.
type gcmSealReader struct {
	src  io.Reader
	st   *gcmState
	head []byte // IV still to emit
	tail []byte // tag still to emit, once src is drained
	done bool
	err  error
}

// newGCMSealReader returns a reader of the AES-GCM encryption of src under
// key with the given iv.
func newGCMSealReader(src io.Reader, key, iv []byte) (*gcmSealReader, error) {
	st, err := newGCMState(key, iv)
	if err != nil {
		return nil, err
	}
	return &gcmSealReader{src: src, st: st, head: append([]byte(nil), iv...)}, nil
}

// Read implements io.Reader.
func (r *gcmSealReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	if len(r.head) > 0 {
		n := copy(p, r.head)
		r.head = r.head[n:]
		return n, nil
	}
	if !r.done {
		n, err := r.src.Read(p)
		if n > 0 {
			if r.st.n+uint64(n) > gcmMaxPlain {
				r.err = fmt.Errorf("aes-gcm: plaintext longer than %d bytes", uint64(gcmMaxPlain))
				return 0, r.err
			}
			r.st.ctr.XORKeyStream(p[:n], p[:n])
			r.st.hash.update(p[:n])
			r.st.n += uint64(n)
		}
		switch {
		case err == io.EOF:
			r.done = true
			t := r.st.tag()
			r.tail = t[:]
		case err != nil:
			r.err = fmt.Errorf("reading plaintext: %w", err)
			return n, r.err
		}
		if n > 0 || !r.done {
			return n, nil
		}
	}
	if len(r.tail) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.tail)
	r.tail = r.tail[n:]
	return n, nil
}

// errTagMismatch is wrapped when an AES-GCM tag does not verify.
var errTagMismatch = errors.New("aes-gcm authentication tag mismatch")

// gcmOpen decrypts IV ‖ ciphertext ‖ tag read from src into dst and
// returns the plaintext length. The whole plaintext reaches dst before the
// tag is known, so the caller must discard dst unless the error is nil.
func gcmOpen(dst io.Writer, src io.Reader, key []byte) (int64, error) {
	iv := make([]byte, gcmIVSize)
	if _, err := io.ReadFull(src, iv); err != nil {
		return 0, fmt.Errorf("aes-gcm: reading iv: %w", err)
	}
	st, err := newGCMState(key, iv)
	if err != nil {
		return 0, err
	}
	const chunk = 64 << 10
	buf := make([]byte, chunk+gcmTagSize)
	held := 0 // bytes at buf[:held] not yet known to be ciphertext
	var written int64
	for {
		n, rerr := src.Read(buf[held:])
		held += n
		if held > gcmTagSize {
			ct := buf[:held-gcmTagSize]
			if st.n+uint64(len(ct)) > gcmMaxPlain {
				return written, fmt.Errorf("aes-gcm: ciphertext longer than %d bytes", uint64(gcmMaxPlain))
			}
			st.hash.update(ct)
			st.n += uint64(len(ct))
			st.ctr.XORKeyStream(ct, ct)
			w, werr := dst.Write(ct)
			written += int64(w)
			if werr != nil {
				return written, fmt.Errorf("writing plaintext: %w", werr)
			}
			held = copy(buf, buf[len(ct):held])
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return written, fmt.Errorf("aes-gcm: reading ciphertext: %w", rerr)
		}
	}
	if held != gcmTagSize {
		return written, fmt.Errorf("aes-gcm: input shorter than iv and tag: %w", errTagMismatch)
	}
	want := st.tag()
	if subtle.ConstantTimeCompare(want[:], buf[:gcmTagSize]) != 1 {
		return written, errTagMismatch
	}
	return written, nil
}

// gcmOpenBytes decrypts IV ‖ ciphertext ‖ tag held in memory, in place,
// with crypto/cipher's AES-GCM; nothing is returned unless the tag is right.
func gcmOpenBytes(data, key []byte) ([]byte, error) {
	if len(data) < gcmIVSize+gcmTagSize {
		return nil, fmt.Errorf("aes-gcm: %d bytes, shorter than iv and tag", len(data))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("aes-gcm key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	ct := data[gcmIVSize:]
	plain, err := aead.Open(ct[:0], data[:gcmIVSize], ct, nil)
	if err != nil {
		return nil, errTagMismatch
	}
	return plain, nil
}
