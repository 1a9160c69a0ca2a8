package secrets

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"golang.org/x/crypto/argon2"
)

// ErrWrongPIN is returned when the encrypted file does not open with the
// PIN given (or was changed by someone without it).
var ErrWrongPIN = errors.New("wrong PIN, or the secrets file was altered")

// File is a Store kept in one file, encrypted with AES-256-GCM under a key
// derived from the app PIN with Argon2id. Every change rewrites the file
// whole (new nonce, temporary file, rename), so a crash leaves the old or
// the new contents, never a mix. A PIN of few digits guards against a casual
// reader of the file, not against an offline search of every PIN: on phones
// the app's sandbox is the first wall.
type File struct {
	path string

	mu      sync.Mutex
	header  fileHeader
	key     []byte
	secrets map[string]string
}

// kdfParams are Argon2id's costs; they are stored in the file so that a
// later version may raise them for new files and still open old ones.
type kdfParams struct {
	Time      uint32 `json:"time"`
	MemoryKiB uint32 `json:"memory_kib"`
	Threads   uint8  `json:"threads"`
	Salt      []byte `json:"salt"`
}

// valid reports whether p is within the bounds this version derives keys
// with; a file asking for more (say, 4 TiB of memory) is refused.
func (p kdfParams) valid() bool {
	return p.Time >= 1 && p.Time <= 16 && p.MemoryKiB >= 8 && p.MemoryKiB <= 1<<18 &&
		p.Threads >= 1 && p.Threads <= 16 && len(p.Salt) >= 16 && len(p.Salt) <= 64
}

// defaultKDF follows RFC 9106's second recommended option (64 MiB, 3 passes).
var defaultKDF = kdfParams{Time: 3, MemoryKiB: 64 * 1024, Threads: 4}

type fileHeader struct {
	Format string    `json:"format"`
	KDF    kdfParams `json:"kdf"`
}

type fileContents struct {
	fileHeader
	Nonce      []byte `json:"nonce"`
	Ciphertext []byte `json:"ciphertext"`
}

// fileFormat names the file layout; it is also authenticated with the data.
const fileFormat = "vienreiz-secrets/1 argon2id aes-256-gcm"

// OpenFile opens the encrypted secrets file at path with pin, or creates it
// (and its folder, private to the user) when missing. A wrong PIN gives an
// error wrapping ErrWrongPIN and changes nothing.
func OpenFile(path, pin string) (*File, error) {
	return openFile(path, pin, defaultKDF)
}

func openFile(path, pin string, newParams kdfParams) (*File, error) {
	if pin == "" {
		return nil, errors.New("secrets: an empty PIN cannot protect the secrets file")
	}
	f := &File{path: path}
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := f.reset(pin, newParams); err != nil {
			return nil, err
		}
		f.secrets = map[string]string{}
		if err := f.save(); err != nil {
			return nil, err
		}
		return f, nil
	}
	if err != nil {
		return nil, fmt.Errorf("secrets: %w", err)
	}
	var c fileContents
	if err := json.Unmarshal(raw, &c); err != nil || c.Format != fileFormat {
		return nil, fmt.Errorf("secrets: %s is not a Vienreiz secrets file (format %q)", path, c.Format)
	}
	if !c.KDF.valid() {
		return nil, fmt.Errorf("secrets: %s has invalid key-derivation parameters", path)
	}
	f.header = c.fileHeader
	f.key = deriveKey(pin, c.KDF)
	plain, err := f.aead().Open(nil, c.Nonce, c.Ciphertext, f.additionalData())
	if err != nil {
		return nil, fmt.Errorf("secrets: %s: %w", path, ErrWrongPIN)
	}
	if err := json.Unmarshal(plain, &f.secrets); err != nil {
		return nil, fmt.Errorf("secrets: %s: decrypted contents are not valid: %w", path, err)
	}
	if f.secrets == nil {
		f.secrets = map[string]string{}
	}
	return f, nil
}

// Get returns the secret stored under name.
func (f *File) Get(name string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.secrets[name]
	if !ok {
		return "", fmt.Errorf("secrets: %q: %w", name, ErrNotFound)
	}
	return v, nil
}

// Set stores value under name and rewrites the file.
func (f *File) Set(name, value string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	old, had := f.secrets[name]
	f.secrets[name] = value
	if err := f.save(); err != nil {
		if had {
			f.secrets[name] = old
		} else {
			delete(f.secrets, name)
		}
		return err
	}
	return nil
}

// Delete removes the secret under name and rewrites the file.
func (f *File) Delete(name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	old, had := f.secrets[name]
	if !had {
		return nil
	}
	delete(f.secrets, name)
	if err := f.save(); err != nil {
		f.secrets[name] = old
		return err
	}
	return nil
}

// ChangePIN re-encrypts the file under a key derived from newPIN with a
// fresh salt.
func (f *File) ChangePIN(newPIN string) error {
	if newPIN == "" {
		return errors.New("secrets: an empty PIN cannot protect the secrets file")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	oldHeader, oldKey := f.header, f.key
	params := f.header.KDF
	params.Salt = nil
	if err := f.reset(newPIN, params); err != nil {
		return err
	}
	if err := f.save(); err != nil {
		f.header, f.key = oldHeader, oldKey
		return err
	}
	return nil
}

// reset sets a fresh salt and the key derived from pin.
func (f *File) reset(pin string, params kdfParams) error {
	params.Salt = make([]byte, 16)
	if _, err := rand.Read(params.Salt); err != nil {
		return fmt.Errorf("secrets: %w", err)
	}
	f.header = fileHeader{Format: fileFormat, KDF: params}
	f.key = deriveKey(pin, params)
	return nil
}

func deriveKey(pin string, p kdfParams) []byte {
	return argon2.IDKey([]byte(pin), p.Salt, p.Time, p.MemoryKiB, p.Threads, 32)
}

func (f *File) aead() cipher.AEAD {
	block, err := aes.NewCipher(f.key)
	if err != nil {
		panic(err) // the key is always 32 bytes
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return gcm
}

// additionalData binds the header (format and KDF parameters) to the
// ciphertext, so neither can be swapped unnoticed.
func (f *File) additionalData() []byte {
	b, _ := json.Marshal(f.header)
	return b
}

// save encrypts the secrets with a fresh nonce and replaces the file.
func (f *File) save() error {
	plain, err := json.Marshal(f.secrets)
	if err != nil {
		return fmt.Errorf("secrets: %w", err)
	}
	gcm := f.aead()
	nonce := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return fmt.Errorf("secrets: %w", err)
	}
	out, err := json.Marshal(fileContents{
		fileHeader: f.header,
		Nonce:      nonce,
		Ciphertext: gcm.Seal(nil, nonce, plain, f.additionalData()),
	})
	if err != nil {
		return fmt.Errorf("secrets: %w", err)
	}
	return WriteFileAtomic(f.path, out)
}

// WriteFileAtomic writes data to a temporary file beside path, syncs it and
// renames it over path; file and folder are private to the user.
func WriteFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("secrets: %w", err)
	}
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("secrets: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("secrets: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("secrets: writing %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("secrets: writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("secrets: writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("secrets: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// CheckPIN reports whether pin opens the file (the app's re-lock asks for
// it again); it reads the file and changes nothing.
func (f *File) CheckPIN(pin string) bool {
	_, err := OpenFile(f.path, pin)
	return err == nil
}
