package as4

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
)

func readPart(t testing.TB, p Part) []byte {
	t.Helper()
	rc, err := p.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestMIMERoundTrip(t *testing.T) {
	env := []byte(`<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"/>`)
	parts := []Part{
		BytesPart("a@x", MimeGzip, bytes.Repeat([]byte{0, 1, 2, '\r', '\n', '-', '-'}, 10000)),
		BytesPart("b@x", "application/pdf", []byte("%PDF-1.7")),
	}
	var buf bytes.Buffer
	if err := WriteMIME(&buf, "MIMEBoundary_abc", env, parts); err != nil {
		t.Fatal(err)
	}
	spool := &Spool{Dir: t.TempDir()}
	defer spool.Cleanup()
	gotEnv, got, err := ReadMIME(&buf, MultipartContentType("MIMEBoundary_abc"), Limits{}, spool)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(gotEnv, env) {
		t.Errorf("envelope %q", gotEnv)
	}
	if len(got) != 2 {
		t.Fatalf("%d parts", len(got))
	}
	for i := range parts {
		if got[i].ContentID != parts[i].ContentID || got[i].ContentType != parts[i].ContentType {
			t.Errorf("part %d header: %+v", i, got[i])
		}
		if !bytes.Equal(readPart(t, got[i]), readPart(t, parts[i])) {
			t.Errorf("part %d content differs", i)
		}
	}
}

func TestReadMIMERejects(t *testing.T) {
	env := `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"/>`
	var full bytes.Buffer
	if err := WriteMIME(&full, "BB", []byte(env), []Part{BytesPart("a@x", "text/plain", []byte(strings.Repeat("payload ", 100)))}); err != nil {
		t.Fatal(err)
	}
	ct := MultipartContentType("BB")
	root := "--BB\r\nContent-Type: application/soap+xml\r\nContent-ID: <soappart@vienreiz>\r\n\r\n" + env + "\r\n"
	cases := []struct {
		name, body, ctype, detail string
		lim                       Limits
	}{
		{"truncated in the attachment", full.String()[:full.Len()-40], ct, "unexpected EOF", Limits{}},
		{"truncated before the final boundary", full.String()[:full.Len()-8], ct, "EOF", Limits{}},
		{"text/xml", env, "text/xml", "neither application/soap+xml nor multipart/related", Limits{}},
		{"wrong type parameter", full.String(), `multipart/related; boundary=BB; type="text/xml"`, "type parameter", Limits{}},
		{"no boundary", full.String(), `multipart/related; type="application/soap+xml"`, "without boundary", Limits{}},
		{"garbage content type", full.String(), `;;;`, "Content-Type", Limits{}},
		{"oversize envelope", full.String(), ct, "SOAP part", Limits{Envelope: 10}},
		{"oversize attachment", full.String(), ct, "attachment a@x", Limits{Part: 100}},
		{"too many attachments", full.String(), ct, "more than 1 attachments",
			Limits{Parts: 1}},
		{"attachment without Content-ID", root + "--BB\r\nContent-Type: text/plain\r\n\r\nx\r\n--BB--\r\n", ct, "no Content-ID", Limits{}},
		{"duplicate Content-ID", root + "--BB\r\nContent-ID: <a>\r\n\r\nx\r\n--BB\r\nContent-ID: <a>\r\n\r\ny\r\n--BB--\r\n", ct, "appears twice", Limits{}},
		{"root not SOAP", strings.Replace(root, "application/soap+xml", "text/plain", 1) + "--BB--\r\n", ct, "root mime part", Limits{}},
		{"start mismatch", strings.Replace(root, "soappart@vienreiz", "other", 1) + "--BB--\r\n", ct, "start parameter", Limits{}},
		{"unknown transfer encoding", root + "--BB\r\nContent-ID: <a>\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nx\r\n--BB--\r\n", ct, "x-uuencode", Limits{}},
		{"empty multipart", "--BB--\r\n", ct, "no parts", Limits{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.name == "too many attachments" {
				c.body = root + "--BB\r\nContent-ID: <a>\r\n\r\nx\r\n--BB\r\nContent-ID: <b>\r\n\r\ny\r\n--BB--\r\n"
			}
			spool := &Spool{Dir: t.TempDir()}
			defer spool.Cleanup()
			_, _, err := ReadMIME(strings.NewReader(c.body), c.ctype, c.lim, spool)
			if !errors.Is(err, ErrMimeInconsistency) || !strings.Contains(err.Error(), c.detail) {
				t.Fatalf("got %v, want EBMS:0007 with %q", err, c.detail)
			}
		})
	}
}

func TestReadMIMEBareEnvelopeAndBase64(t *testing.T) {
	spool := &Spool{Dir: t.TempDir()}
	defer spool.Cleanup()
	env, parts, err := ReadMIME(strings.NewReader("<x/>"), "application/soap+xml; charset=UTF-8", Limits{}, spool)
	if err != nil || string(env) != "<x/>" || parts != nil {
		t.Fatalf("bare envelope: %q %v %v", env, parts, err)
	}
	body := "--BB\r\nContent-Type: application/soap+xml\r\n\r\n<x/>\r\n--BB\r\nContent-ID: <a>\r\nContent-Transfer-Encoding: base64\r\n\r\naGVsbG8=\r\n--BB--\r\n"
	_, parts, err = ReadMIME(strings.NewReader(body), `multipart/related; boundary=BB; type="application/soap+xml"`, Limits{}, spool)
	if err != nil {
		t.Fatal(err)
	}
	if got := readPart(t, parts[0]); string(got) != "hello" {
		t.Errorf("base64 part %q", got)
	}
}

func TestCompressDecompress(t *testing.T) {
	spool := &Spool{Dir: t.TempDir()}
	defer spool.Cleanup()
	plain := bytes.Repeat([]byte("<evidence>vienreiz</evidence>"), 5000)
	z, err := Compress(BytesPart("p@x", MimeEbRS, plain), spool)
	if err != nil {
		t.Fatal(err)
	}
	if z.ContentType != MimeGzip || len(readPart(t, z)) >= len(plain)/10 {
		t.Fatalf("compressed part %s, %d bytes", z.ContentType, len(readPart(t, z)))
	}
	back, err := Decompress(z, MimeEbRS, 1<<20, spool)
	if err != nil {
		t.Fatal(err)
	}
	if back.ContentType != MimeEbRS || !bytes.Equal(readPart(t, back), plain) {
		t.Fatal("decompressed part differs")
	}
}

func gzipBytes(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(data)
	zw.Close()
	return buf.Bytes()
}

func TestDecompressRejects(t *testing.T) {
	bomb := gzipBytes(t, make([]byte, 10<<20)) // 10 MiB of zeros, ~10 KiB compressed
	good := gzipBytes(t, []byte("hello"))
	cases := []struct {
		name   string
		data   []byte
		limit  int64
		detail string
	}{
		{"gzip bomb over the limit", bomb, 1 << 20, "size limit exceeded"},
		{"not gzip", []byte("plain text"), 1 << 20, "not gzip"},
		{"truncated gzip", good[:len(good)-6], 1 << 20, "unexpected EOF"},
		{"corrupted checksum", append(append([]byte{}, good[:len(good)-8]...), 0, 0, 0, 0, 5, 0, 0, 0), 1 << 20, "checksum"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			spool := &Spool{Dir: t.TempDir()}
			defer spool.Cleanup()
			_, err := Decompress(BytesPart("p@x", MimeGzip, c.data), MimeEbRS, c.limit, spool)
			if !errors.Is(err, ErrDecompressionFailure) || !strings.Contains(err.Error(), c.detail) {
				t.Fatalf("got %v, want EBMS:0303 with %q", err, c.detail)
			}
		})
	}
}

func FuzzReadMIME(f *testing.F) {
	var buf bytes.Buffer
	WriteMIME(&buf, "BB", []byte("<x/>"), []Part{BytesPart("a@x", "text/plain", []byte("hello"))})
	f.Add(buf.Bytes())
	f.Add([]byte("--BB\r\nContent-ID: <a>\r\nContent-Transfer-Encoding: base64\r\n\r\naGVsbG8=\r\n--BB--\r\n"))
	f.Add([]byte("--BB\r\n\r\n--BB--"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, body []byte) {
		spool := &Spool{Dir: dir}
		defer spool.Cleanup()
		env, parts, err := ReadMIME(bytes.NewReader(body), MultipartContentType("BB"), Limits{Envelope: 1 << 16, Part: 1 << 16, Parts: 8}, spool)
		if err != nil {
			if !errors.Is(err, ErrMimeInconsistency) {
				t.Fatalf("error is not EBMS:0007: %v", err)
			}
			return
		}
		if env == nil || len(parts) > 8 {
			t.Fatalf("accepted without envelope or with %d parts", len(parts))
		}
		for _, p := range parts {
			if p.ContentID == "" {
				t.Fatal("accepted a part without Content-ID")
			}
		}
	})
}

func TestSpoolMemoryAndFile(t *testing.T) {
	pool := &FilePool{}
	defer pool.Close()
	for _, n := range []int{0, 99, 100, 101, 10000, 300000} {
		spool := &Spool{Dir: t.TempDir(), MemLimit: 100, Pool: pool}
		data := bytes.Repeat([]byte{'a', 'b', 'c'}, n/3+1)[:n]
		p, got, err := spool.spoolCopy(bytes.NewReader(data), 0, "c", "t/t")
		if err != nil || got != int64(n) {
			t.Fatalf("%d bytes: copied %d, %v", n, got, err)
		}
		// Read twice: parts are re-readable.
		for range 2 {
			if !bytes.Equal(readPart(t, p), data) {
				t.Fatalf("%d bytes: content differs", n)
			}
		}
		wantFiles := 0
		if n > 100 {
			wantFiles = 1
		}
		if len(spool.files) != wantFiles {
			t.Errorf("%d bytes: %d spool files, want %d", n, len(spool.files), wantFiles)
		}
		if _, _, err := spool.spoolCopy(bytes.NewReader(data), int64(n)-1, "c", "t/t"); n > 0 && !errors.Is(err, errTooLarge) {
			t.Errorf("%d bytes with limit %d: %v", n, n-1, err)
		}
		if err := spool.Cleanup(); err != nil {
			t.Fatal(err)
		}
	}
	// Files come back from the pool empty.
	spool := &Spool{Dir: t.TempDir(), Pool: pool}
	f, err := spool.File()
	if err != nil {
		t.Fatal(err)
	}
	if st, err := f.Stat(); err != nil || st.Size() != 0 {
		t.Fatalf("pooled file: %v size %d", err, st.Size())
	}
	spool.Cleanup()
}
