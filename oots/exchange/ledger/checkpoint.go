package ledger

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Checkpoint is the service's signed statement that a chain's head was
// entry Seq with hash Hash at Time. Whoever holds one (the anchor file,
// a citizen's saved export) can later prove that the chain was rewritten
// or cut back behind it.
type Checkpoint struct {
	Chain string    `json:"chain"`
	Seq   int64     `json:"seq"`
	Hash  Hash      `json:"hash"`
	Time  time.Time `json:"time"`
	// Key is the Ed25519 public key that signed it.
	Key []byte `json:"key"`
	// Sig is the Ed25519 signature of Signed().
	Sig []byte `json:"sig"`
}

// checkpointTag starts the signed bytes of every checkpoint.
const checkpointTag = "vienreiz-ledger-checkpoint/1\n"

// Signed returns the bytes the signature covers: the tag, the chain
// (length-prefixed), Seq and Time (Unix microseconds, 8 bytes big-endian)
// and Hash.
func (c *Checkpoint) Signed() []byte {
	b := make([]byte, 0, 128)
	b = append(b, checkpointTag...)
	b = binary.AppendUvarint(b, uint64(len(c.Chain)))
	b = append(b, c.Chain...)
	b = binary.BigEndian.AppendUint64(b, uint64(c.Seq))
	b = binary.BigEndian.AppendUint64(b, uint64(c.Time.UnixMicro()))
	return append(b, c.Hash[:]...)
}

// Check verifies the signature with the key the checkpoint names, and that
// the key is key when key is not nil.
func (c *Checkpoint) Check(key ed25519.PublicKey) error {
	if len(c.Key) != ed25519.PublicKeySize {
		return fmt.Errorf("ledger: checkpoint of chain %q: no Ed25519 public key", c.Chain)
	}
	if key != nil && !key.Equal(ed25519.PublicKey(c.Key)) {
		return fmt.Errorf("ledger: checkpoint of chain %q is signed by another key: %w", c.Chain, ErrTampered)
	}
	if !ed25519.Verify(c.Key, c.Signed(), c.Sig) {
		return fmt.Errorf("ledger: checkpoint of chain %q entry %d: signature does not verify: %w", c.Chain, c.Seq, ErrTampered)
	}
	return nil
}

// Anchor is the append-only file of signed checkpoints, kept outside the
// database, with the service's signing key beside it. Make the file
// append-only at the system level (chattr +a) or ship it to a log host:
// the database's administrator must not be able to rewrite it.
type Anchor struct {
	path string
	key  ed25519.PrivateKey
	mu   sync.Mutex
}

// Anchor file names inside the folder given to OpenAnchor.
const (
	AnchorFile    = "ledger-checkpoints.jsonl"
	AnchorKeyFile = "ledger-checkpoint.key"
)

// OpenAnchor opens the anchor in dir, creating the folder (0700) and its
// signing key (0600) on first use.
func OpenAnchor(dir string) (*Anchor, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("ledger: anchor folder: %w", err)
	}
	keyPath := filepath.Join(dir, AnchorKeyFile)
	seed, err := os.ReadFile(keyPath)
	if errors.Is(err, fs.ErrNotExist) {
		seed = make([]byte, ed25519.SeedSize)
		if _, err := rand.Read(seed); err != nil {
			return nil, fmt.Errorf("ledger: anchor key: %w", err)
		}
		if err := writeNew(keyPath, seed); errors.Is(err, fs.ErrExist) {
			return OpenAnchor(dir) // another process made it first
		} else if err != nil {
			return nil, fmt.Errorf("ledger: anchor key: %w", err)
		}
	} else if err != nil {
		return nil, fmt.Errorf("ledger: anchor key: %w", err)
	}
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("ledger: anchor key %s: %d bytes, want %d", keyPath, len(seed), ed25519.SeedSize)
	}
	return &Anchor{path: filepath.Join(dir, AnchorFile), key: ed25519.NewKeyFromSeed(seed)}, nil
}

// writeNew creates path (0600, failing if it exists) holding b, synced.
func writeNew(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// PublicKey is the key checkpoints are signed with.
func (a *Anchor) PublicKey() ed25519.PublicKey { return a.key.Public().(ed25519.PublicKey) }

// Path is the anchor file.
func (a *Anchor) Path() string { return a.path }

// sign fills in the key and signature of c.
func (a *Anchor) sign(c *Checkpoint) {
	c.Key = a.PublicKey()
	c.Sig = ed25519.Sign(a.key, c.Signed())
}

// write appends the checkpoints to the file, one JSON line each, and
// syncs it before returning. After a line torn by a crash it starts a line
// of its own.
func (a *Anchor) write(cps []Checkpoint) error {
	var buf bytes.Buffer
	a.mu.Lock()
	defer a.mu.Unlock()
	if torn, err := endsTorn(a.path); err != nil {
		return fmt.Errorf("ledger: anchor file: %w", err)
	} else if torn {
		buf.WriteByte('\n')
	}
	enc := json.NewEncoder(&buf)
	for i := range cps {
		if err := enc.Encode(&cps[i]); err != nil {
			return err
		}
	}
	f, err := os.OpenFile(a.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("ledger: anchor file: %w", err)
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.Close()
		return fmt.Errorf("ledger: anchor file: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("ledger: anchor file: %w", err)
	}
	return f.Close()
}

// endsTorn reports whether the file at path ends inside a line: a write
// the machine stopped in.
func endsTorn(path string) (bool, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || info.Size() == 0 {
		return false, err
	}
	last := make([]byte, 1)
	if _, err := f.ReadAt(last, info.Size()-1); err != nil {
		return false, err
	}
	return last[0] != '\n', nil
}

// tornLine reports whether line is the start of a checkpoint's line and
// no more: what a crash while appending leaves. Skipping it hides nothing
// that deleting the line would not: keep the file append-only.
func tornLine(line []byte) bool {
	var c Checkpoint
	return errors.Is(json.NewDecoder(bytes.NewReader(line)).Decode(&c), io.ErrUnexpectedEOF)
}

// Latest reads the file and returns the latest checkpoint of each chain.
// A line that does not parse (but for one torn by a crash) or whose
// signature is not ours is an error: the file was tampered with.
func (a *Anchor) Latest() (map[string]Checkpoint, error) {
	out := map[string]Checkpoint{}
	f, err := os.Open(a.path)
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("ledger: anchor file: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		var c Checkpoint
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			if tornLine(sc.Bytes()) {
				continue
			}
			return nil, fmt.Errorf("ledger: anchor file %s line %d: %v: %w", a.path, line, err, ErrTampered)
		}
		if err := c.Check(a.PublicKey()); err != nil {
			return nil, fmt.Errorf("ledger: anchor file %s line %d: %w", a.path, line, err)
		}
		if old, ok := out[c.Chain]; !ok || c.Seq >= old.Seq {
			out[c.Chain] = c
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("ledger: anchor file: %w", err)
	}
	return out, nil
}
