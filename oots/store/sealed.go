package store

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Evidence documents are encrypted at rest in chunks so that a Range
// request decrypts only the chunks it reads. The format: a 12-byte header
// ("VZE1" and an 8-byte random nonce prefix), then chunks of sealChunk
// plaintext bytes, each sealed with AES-GCM under the nonce prefix and the
// chunk's 32-bit index; the additional data says whether the chunk is the
// last, so a truncated document fails to open instead of reading short.
const (
	sealMagic  = "VZE1"
	sealHeader = 12
	sealChunk  = 64 << 10
	sealTag    = 16
)

// ErrEvidenceKey is returned when a document is sealed and no key, or the
// wrong key, is set.
var ErrEvidenceKey = errors.New("store: evidence key missing or wrong")

func newAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("store: evidence key is %d bytes, want 32", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// sealedSize is the stored size of size plaintext bytes.
func sealedSize(size int64) int64 {
	chunks := size/sealChunk + 1
	if size > 0 && size%sealChunk == 0 {
		chunks--
	}
	return sealHeader + size + chunks*sealTag
}

// seal copies src to dst encrypted and returns the plaintext size.
func seal(aead cipher.AEAD, dst io.Writer, src io.Reader) (int64, error) {
	header := make([]byte, sealHeader)
	copy(header, sealMagic)
	if _, err := rand.Read(header[4:]); err != nil {
		return 0, err
	}
	if _, err := dst.Write(header); err != nil {
		return 0, err
	}
	plain := make([]byte, sealChunk+1) // one byte more tells whether another chunk follows
	out := make([]byte, 0, sealChunk+sealTag)
	var total int64
	have := 0
	for index := uint32(0); ; index++ {
		n, err := io.ReadFull(src, plain[have:])
		have += n
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
			return total, err
		}
		last := have <= sealChunk
		chunk := min(have, sealChunk)
		out = aead.Seal(out[:0], chunkNonce(header, index), plain[:chunk], chunkAAD(last))
		if _, err := dst.Write(out); err != nil {
			return total, err
		}
		total += int64(chunk)
		if last {
			return total, nil
		}
		plain[0] = plain[sealChunk]
		have = 1
	}
}

func chunkNonce(header []byte, index uint32) []byte {
	nonce := make([]byte, 12)
	copy(nonce, header[4:sealHeader])
	binary.BigEndian.PutUint32(nonce[8:], index)
	return nonce
}

func chunkAAD(last bool) []byte {
	if last {
		return []byte{1}
	}
	return []byte{0}
}

// openedReader decrypts a sealed document of size plaintext bytes read
// from src, with Seek for Range requests.
type openedReader struct {
	aead   cipher.AEAD
	src    io.ReadSeeker
	size   int64
	header []byte
	pos    int64
	index  int64 // chunk held in plain, or -1
	plain  []byte
	buf    []byte
}

func openSealed(aead cipher.AEAD, src io.ReadSeeker, size int64) (*openedReader, error) {
	header := make([]byte, sealHeader)
	if _, err := io.ReadFull(src, header); err != nil {
		return nil, fmt.Errorf("store: sealed evidence header: %w", err)
	}
	if string(header[:4]) != sealMagic {
		return nil, errors.New("store: sealed evidence: not in the sealed format")
	}
	return &openedReader{aead: aead, src: src, size: size, header: header, index: -1,
		buf: make([]byte, sealChunk+sealTag)}, nil
}

func (r *openedReader) Read(p []byte) (int, error) {
	if r.pos >= r.size {
		return 0, io.EOF
	}
	index := r.pos / sealChunk
	if index != r.index {
		if err := r.load(index); err != nil {
			return 0, err
		}
	}
	n := copy(p, r.plain[r.pos-index*sealChunk:])
	r.pos += int64(n)
	return n, nil
}

// load decrypts chunk index into r.plain.
func (r *openedReader) load(index int64) error {
	last := (r.size-1)/sealChunk == index
	want := sealChunk
	if last {
		want = int(r.size - index*sealChunk)
	}
	if _, err := r.src.Seek(sealHeader+index*(sealChunk+sealTag), io.SeekStart); err != nil {
		return err
	}
	ct := r.buf[:want+sealTag]
	if _, err := io.ReadFull(r.src, ct); err != nil {
		return fmt.Errorf("store: sealed evidence chunk %d: %w", index, err)
	}
	plain, err := r.aead.Open(r.plain[:0], chunkNonce(r.header, uint32(index)), ct, chunkAAD(last))
	if err != nil {
		return fmt.Errorf("%w: chunk %d does not open", ErrEvidenceKey, index)
	}
	r.plain, r.index = plain, index
	return nil
}

func (r *openedReader) Seek(offset int64, whence int) (int64, error) {
	return seek(&r.pos, r.size, offset, whence)
}

// seek moves *pos, in a stream of size bytes, as io.Seeker does.
func seek(pos *int64, size, offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		offset += *pos
	case io.SeekEnd:
		offset += size
	}
	if offset < 0 {
		return 0, errors.New("store: seek before the start")
	}
	*pos = offset
	return offset, nil
}
