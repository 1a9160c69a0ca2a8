package handoff

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func testSigner(t testing.TB) *Signer {
	t.Helper()
	s, err := NewSigner([]byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTokenRoundTrip(t *testing.T) {
	s := testSigner(t)
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	id := NewID()
	tok, err := s.Token(id, now.Add(Lifetime))
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Verify(tok, now.Add(Lifetime-time.Second))
	if err != nil || got != id {
		t.Fatalf("Verify = %q, %v; want %q", got, err, id)
	}
	if _, err := s.Verify(tok, now.Add(Lifetime)); !errors.Is(err, ErrExpired) {
		t.Fatalf("at expiry: %v, want ErrExpired", err)
	}
}

func TestVerifyRefusesForgedTokens(t *testing.T) {
	s := testSigner(t)
	now := time.Now()
	tok, err := s.Token(NewID(), now.Add(Lifetime))
	if err != nil {
		t.Fatal(err)
	}
	other, _ := NewSigner(NewKey())
	otherTok, _ := other.Token(NewID(), now.Add(Lifetime))
	payload, mac, _ := strings.Cut(tok, ".")
	// A later expiry with the old signature: the signature covers it.
	longer, _ := s.Token(strings.Repeat("0", 32), now.Add(time.Hour))
	longerPayload, _, _ := strings.Cut(longer, ".")
	flip := func(s string) string {
		b := []byte(s)
		if b[3] == 'A' {
			b[3] = 'B'
		} else {
			b[3] = 'A'
		}
		return string(b)
	}
	for name, bad := range map[string]string{
		"other key":        otherTok,
		"altered id":       flip(payload) + "." + mac,
		"altered mac":      payload + "." + flip(mac),
		"extended expiry":  longerPayload + "." + mac,
		"no signature":     payload,
		"empty":            "",
		"not base64":       "!!!.???",
		"short payload":    payload[:10] + "." + mac,
		"signature only":   "." + mac,
		"three parts":      tok + ".x",
		"unsigned id only": strings.Repeat("A", 22),
	} {
		if _, err := s.Verify(bad, now); !errors.Is(err, ErrForged) {
			t.Errorf("%s: Verify(%q) = %v, want ErrForged", name, bad, err)
		}
	}
}

func TestNewSignerNeedsALongKey(t *testing.T) {
	if _, err := NewSigner(make([]byte, 16)); err == nil {
		t.Fatal("a 16-byte key was accepted")
	}
}

func TestCodes(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		c := NewCode()
		if n, ok := NormalizeCode(c); !ok || n != c {
			t.Fatalf("NormalizeCode(%q) = %q, %v", c, n, ok)
		}
		seen[c] = true
	}
	if len(seen) < 199 {
		t.Fatalf("only %d distinct codes of 200", len(seen))
	}
	for in, want := range map[string]string{
		"k7qm3xpa":    "K7QM-3XPA",
		" K7QM 3XPA ": "K7QM-3XPA",
		"k7qm-3xpa":   "K7QM-3XPA",
		"OIL0-1234":   "0110-1234",
	} {
		if got, ok := NormalizeCode(in); !ok || got != want {
			t.Errorf("NormalizeCode(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "K7QM-3XP", "K7QM-3XPAA", "K7QM-3XPU", "ĶĶĶĶ-ĶĶĶĶ", "K7QM_3XPA"} {
		if got, ok := NormalizeCode(bad); ok {
			t.Errorf("NormalizeCode(%q) = %q, accepted", bad, got)
		}
	}
}

func TestTokenOf(t *testing.T) {
	const tok = "AAAA.BBBB"
	for _, in := range []string{
		"vienreiz://handoff/" + tok,
		"https://portal.example.lv/open/handoff/" + tok,
		"http://127.0.0.1:8080/open/handoff/" + tok,
		"  " + tok + "\n",
	} {
		if got, ok := TokenOf(in); !ok || got != tok {
			t.Errorf("TokenOf(%q) = %q, %v", in, got, ok)
		}
	}
	for _, bad := range []string{
		"", "vienreiz://requests/abc", "https://x/portal/handoff/" + tok, "ftp://x/open/handoff/" + tok,
		"vienreiz://handoff/", "https://x/open/handoff/a/b.c", "plain", "K7QM-3XPA",
	} {
		if got, ok := TokenOf(bad); ok {
			t.Errorf("TokenOf(%q) = %q, accepted", bad, got)
		}
	}
}

func FuzzVerify(f *testing.F) {
	s := testSigner(f)
	tok, _ := s.Token(NewID(), time.Now().Add(Lifetime))
	f.Add(tok)
	f.Add("vienreiz://handoff/" + tok)
	f.Add("a.b")
	f.Fuzz(func(t *testing.T, in string) {
		token, ok := TokenOf(in)
		if !ok {
			token = in
		}
		id, err := s.Verify(token, time.Now())
		if err == nil && len(id) != 2*idLen {
			t.Fatalf("accepted %q with id %q", in, id)
		}
		_, _ = NormalizeCode(in)
	})
}
