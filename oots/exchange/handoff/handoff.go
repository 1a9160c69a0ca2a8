// Package handoff makes and checks the one-time links that carry a person
// from a web portal (or another device) into the app: a signed token that
// names a stored handoff and its expiry, and a short code for typing. It
// is pure: storing handoffs and marking them used is the caller's job.
package handoff

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Lifetime is how long a handoff link or code can be redeemed.
const Lifetime = 5 * time.Minute

// Refusals of a link or code; each has its own message for the person.
var (
	// ErrForged: the link was not made by this service or was altered.
	ErrForged = errors.New("this link was not made by this service or has been altered")
	// ErrUnknown: no handoff has this code or link.
	ErrUnknown = errors.New("no handoff has this code; check it and try again")
	// ErrExpired: the link is older than Lifetime.
	ErrExpired = errors.New("this link has expired; links last 5 minutes, ask the portal for a new one")
	// ErrUsed: the link was redeemed already.
	ErrUsed = errors.New("this link has already been used; each link works once, ask the portal for a new one")
	// ErrOtherPerson: the link was made for someone else.
	ErrOtherPerson = errors.New("this link was made for another person; sign in as the person who asked for it")
)

const (
	idLen  = 16 // random bytes of a handoff id
	macLen = 16 // bytes of the HMAC-SHA256 kept in a token
	// payloadLen is the signed part of a token: the id and the expiry in
	// Unix seconds.
	payloadLen = idLen + 8
)

var b64 = base64.RawURLEncoding

// Signer signs and verifies handoff tokens with a secret key.
type Signer struct{ key []byte }

// NewSigner returns a signer with key, which must be at least 32 bytes.
func NewSigner(key []byte) (*Signer, error) {
	if len(key) < 32 {
		return nil, fmt.Errorf("handoff: key of %d bytes, need at least 32", len(key))
	}
	return &Signer{key: append([]byte(nil), key...)}, nil
}

// NewKey returns a fresh random signing key.
func NewKey() []byte {
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	return k
}

// NewID returns a fresh random handoff id (hex).
func NewID() string {
	b := make([]byte, idLen)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Token returns the signed token of handoff id (from NewID), valid until
// expires.
func (s *Signer) Token(id string, expires time.Time) (string, error) {
	raw, err := hex.DecodeString(id)
	if err != nil || len(raw) != idLen {
		return "", fmt.Errorf("handoff: id %q is not %d hex bytes", id, idLen)
	}
	payload := binary.BigEndian.AppendUint64(raw, uint64(expires.Unix()))
	return b64.EncodeToString(payload) + "." + b64.EncodeToString(s.mac(payload)), nil
}

// Verify checks token's signature and expiry at now and returns the
// handoff id it names. A token that is malformed or whose signature does
// not match is ErrForged; a genuine one past its expiry is ErrExpired.
func (s *Signer) Verify(token string, now time.Time) (id string, err error) {
	p, m, ok := strings.Cut(token, ".")
	if !ok {
		return "", ErrForged
	}
	payload, err1 := b64.DecodeString(p)
	mac, err2 := b64.DecodeString(m)
	if err1 != nil || err2 != nil || len(payload) != payloadLen || len(mac) != macLen {
		return "", ErrForged
	}
	if !hmac.Equal(mac, s.mac(payload)) {
		return "", ErrForged
	}
	expires := time.Unix(int64(binary.BigEndian.Uint64(payload[idLen:])), 0)
	if !now.Before(expires) {
		return "", ErrExpired
	}
	return hex.EncodeToString(payload[:idLen]), nil
}

// KeyID names the signer's key without giving it away: a hash of it, to
// tell after a change of key which links were signed with another one.
func (s *Signer) KeyID() string {
	sum := sha256.Sum256(append([]byte("vienreiz-handoff-key-id\x00"), s.key...))
	return hex.EncodeToString(sum[:8])
}

// IDOf returns the handoff id a well-formed token names, without checking
// its signature: only to tell a link signed with an earlier key from a
// made-up one, never to trust it.
func IDOf(token string) (id string, ok bool) {
	p, _, found := strings.Cut(token, ".")
	payload, err := b64.DecodeString(p)
	if !found || err != nil || len(payload) != payloadLen {
		return "", false
	}
	return hex.EncodeToString(payload[:idLen]), true
}

func (s *Signer) mac(payload []byte) []byte {
	h := hmac.New(sha256.New, s.key)
	h.Write([]byte("vienreiz-handoff-v1\x00"))
	h.Write(payload)
	return h.Sum(nil)[:macLen]
}

// codeAlphabet is Crockford's base 32: no I, L, O or U, so a code read
// aloud or typed from a screen is not mistaken.
const codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// codeLen is the number of characters of a short code (40 bits).
const codeLen = 8

// NewCode returns a fresh short code, e.g. "K7QM-3XPA".
func NewCode() string {
	b := make([]byte, codeLen)
	_, _ = rand.Read(b)
	var out strings.Builder
	for i, c := range b {
		if i == codeLen/2 {
			out.WriteByte('-')
		}
		out.WriteByte(codeAlphabet[int(c)%len(codeAlphabet)])
	}
	return out.String()
}

// NormalizeCode turns what a person typed into the code's canonical form:
// upper case, the dash in the middle, spaces and dashes ignored, and the
// letters Crockford maps (O→0, I and L→1) read as digits. ok is false when
// it cannot be a code.
func NormalizeCode(s string) (code string, ok bool) {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch r {
		case ' ', '-', '\t':
			continue
		case 'O':
			r = '0'
		case 'I', 'L':
			r = '1'
		}
		if r > 127 || !strings.ContainsRune(codeAlphabet, r) {
			return "", false
		}
		b.WriteRune(r)
	}
	c := b.String()
	if len(c) != codeLen {
		return "", false
	}
	return c[:codeLen/2] + "-" + c[codeLen/2:], true
}

// Path is the path of a handoff in a direct link: handoff/TOKEN, below
// vienreiz:// or https://HOST/open/.
func Path(token string) string { return "handoff/" + token }

// TokenOf returns the token a handoff link carries, in either form
// (vienreiz://handoff/T or https://HOST/open/handoff/T), or the text itself
// when it is a bare token. ok is false for anything else.
func TokenOf(link string) (token string, ok bool) {
	link = strings.TrimSpace(link)
	if u, err := url.Parse(link); err == nil && u.Scheme != "" {
		var p string
		switch u.Scheme {
		case "vienreiz":
			p = u.Host + u.Path // vienreiz://handoff/T: "handoff" is the host
		case "https", "http":
			var cut bool
			if p, cut = strings.CutPrefix(u.Path, "/open/"); !cut {
				return "", false
			}
		default:
			return "", false
		}
		link, ok = strings.CutPrefix(p, "handoff/")
		if !ok {
			return "", false
		}
	}
	if link == "" || strings.ContainsAny(link, "/?# ") || !strings.Contains(link, ".") {
		return "", false
	}
	return link, true
}
