package wss

import (
	"bufio"
	"crypto/rand"
	"crypto/sha256"
	"io"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// generatedPart is an attachment of n pseudo-random bytes produced on the
// fly, so that a test can send a huge part without holding or storing it.
func generatedPart(cid string, n int64, seed uint64) Part {
	return Part{ContentID: cid, ContentType: "application/gzip", Open: func() (io.ReadCloser, error) {
		var s [32]byte
		s[0] = byte(seed)
		return io.NopCloser(io.LimitReader(mrand.NewChaCha8(s), n)), nil
	}}
}

// filePart is an attachment backed by a file, as the MIME layer spools it.
func filePart(cid, ctype, path string) Part {
	return Part{ContentID: cid, ContentType: ctype, Open: func() (io.ReadCloser, error) { return os.Open(path) }}
}

// spoolToFile writes p's content to a file and returns a part reading it.
func spoolToFile(t testing.TB, dir string, p Part) Part {
	t.Helper()
	path := filepath.Join(dir, "wire-"+p.ContentID)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := p.Open()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(f, rc); err != nil {
		t.Fatal(err)
	}
	rc.Close()
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return filePart(p.ContentID, p.ContentType, path)
}

func sha(t testing.TB, p Part) [32]byte {
	t.Helper()
	rc, err := p.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	h := sha256.New()
	if _, err := io.Copy(h, rc); err != nil {
		t.Fatal(err)
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// peakRSS returns the process's peak resident set (VmHWM) in bytes, or -1.
func peakRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return -1
}

// streamEndToEnd signs, encrypts, "sends" (spools the ciphertext to a
// file), decrypts and verifies one generated part of n bytes.
func streamEndToEnd(t *testing.T, n int64) {
	p := getPKI(t)
	dir := t.TempDir()
	part := generatedPart("big@vienreiz.lv", n, 7)
	want := sha(t, part)
	env := loadEnvelope(t)
	start := time.Now()
	if err := Sign(env, []Part{part}, p.sender, as4Security); err != nil {
		t.Fatal(err)
	}
	enc, err := Encrypt(env, []Part{part}, p.receiver.Cert, as4Security, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	onWire := spoolToFile(t, dir, enc[0])
	sent := time.Since(start)
	got := wire(t, env)
	start = time.Now()
	spool, _ := tempSpool(t)
	dec, err := Decrypt(got, []Part{onWire}, p.receiver, spool)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(got, dec, p.trust, testNow); err != nil {
		t.Fatal(err)
	}
	received := time.Since(start)
	if sha(t, dec[0]) != want {
		t.Fatal("decrypted part differs from the original")
	}
	t.Logf("%d MiB: sign+encrypt+spool %v, decrypt+verify %v, peak RSS %d MiB", n>>20, sent.Round(time.Millisecond), received.Round(time.Millisecond), peakRSS()>>20)
}

func TestStreamingFilePart(t *testing.T) {
	streamEndToEnd(t, 3<<20+5)
}

// TestStreaming1GiB sends a 1 GiB attachment through Sign, Encrypt,
// Decrypt and Verify and checks that the process never held more than
// 64 MiB. It writes 2 GiB of temporary files; run with VIENREIZ_LARGE=1.
func TestStreaming1GiB(t *testing.T) {
	if os.Getenv("VIENREIZ_LARGE") != "1" {
		t.Skip("set VIENREIZ_LARGE=1 to stream a 1 GiB attachment (2 GiB of temp files, about a minute)")
	}
	if runtime.GOOS != "linux" {
		t.Skip("peak RSS is read from /proc/self/status")
	}
	streamEndToEnd(t, 1<<30)
	if rss := peakRSS(); rss > 64<<20 {
		t.Fatalf("peak RSS %d MiB, want below 64 MiB", rss>>20)
	}
}
