package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"os"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/as4/keys"
	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

// runAS4Verify is `vienreiz-server as4-verify [-trust FILE] [-at TIME] FILE`:
// it verifies the signature of a saved AS4 message and describes it. It
// returns 0 when the message is valid, 1 when not, 2 on bad usage.
func runAS4Verify(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("vienreiz-server as4-verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	trustFile := fs.String("trust", "", "trust store `FILE`: PEM certificates, JKS or PKCS#12 (required)")
	trustPassword := fs.String("trust-password-env", "", "environment `VARIABLE` holding the trust store's password (JKS, PKCS#12)")
	keyFile := fs.String("key", "", "our keystore `FILE` (PKCS#12 or JKS) to decrypt encrypted attachments first")
	keyPassword := fs.String("key-password-env", "", "environment `VARIABLE` holding the keystore's password")
	at := fs.String("at", "", "check certificates at this `TIME` (RFC 3339, e.g. the time the message was received); default now")
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: vienreiz-server as4-verify -trust FILE [-at TIME] MESSAGE\n\n"+
			"Verifies the WS-Security signature of a saved AS4 message: an HTTP request dump,\n"+
			"a MIME file (headers, blank line, body) or a bare SOAP envelope. Prints the\n"+
			"signature references, the signer certificate and the verdict; exits 0 when valid.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() != 1 || *trustFile == "" {
		fs.Usage()
		return 2
	}
	when := time.Now()
	if *at != "" {
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			fmt.Fprintf(stderr, "as4-verify: -at %q: want an RFC 3339 time such as 2026-12-04T10:00:00Z\n", *at)
			return 2
		}
		when = t
	}
	trust := keys.NewTrustStore()
	if _, err := trust.AddFile(*trustFile, os.Getenv(*trustPassword)); err != nil {
		fmt.Fprintf(stderr, "as4-verify: %v\n", err)
		return 2
	}
	var key *keys.Identity
	if *keyFile != "" {
		id, err := keys.LoadIdentityFile(*keyFile, os.Getenv(*keyPassword), "", os.Getenv(*keyPassword))
		if err != nil {
			fmt.Fprintf(stderr, "as4-verify: %v\n", err)
			return 2
		}
		key = &id
	}
	data, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "as4-verify: %v\n", err)
		return 1
	}
	ok := verifySaved(data, trust, key, when, stdout)
	if !ok {
		return 1
	}
	return 0
}

// verifySaved verifies and describes one saved message on w; it reports
// whether the message is valid. With key, encrypted attachments are
// decrypted first.
func verifySaved(data []byte, trust *keys.TrustStore, key *keys.Identity, at time.Time, w io.Writer) bool {
	invalid := func(format string, a ...any) bool {
		fmt.Fprintf(w, "verdict: INVALID: "+format+"\n", a...)
		return false
	}
	contentType, body, err := splitSaved(data)
	if err != nil {
		return invalid("%v", err)
	}
	spool := &as4.Spool{}
	defer spool.Cleanup()
	env, parts, err := as4.ReadMIME(bytes.NewReader(body), contentType, as4.Limits{}, spool)
	if err != nil {
		return invalid("reading the message: %v", err)
	}
	doc, err := xmlsafe.ParseBytes(env)
	if err != nil {
		return invalid("reading the envelope: %v", err)
	}
	fmt.Fprintf(w, "attachments: %d\n", len(parts))
	for _, r := range doc.FindElements("//Signature/SignedInfo/Reference") {
		fmt.Fprintf(w, "reference: %s\n", r.SelectAttrValue("URI", ""))
	}
	if len(doc.FindElements("//Security/EncryptedData")) > 0 {
		if key == nil {
			fmt.Fprintln(w, "note: the attachments are encrypted; their references cannot be checked without -key")
		} else if parts, err = as4.WSS().Decrypt(doc, parts, *key, spool.File); err != nil {
			return invalid("decrypting: %v", err)
		} else {
			fmt.Fprintln(w, "decrypted: the attachments, with -key")
		}
	}
	fmt.Fprintf(w, "certificates checked at: %s\n", at.UTC().Format(time.RFC3339))
	cert, _, err := as4.WSS().Verify(doc, parts, trust, at)
	if err != nil {
		return invalid("%v", err)
	}
	fmt.Fprintf(w, "signer: %s\nissuer: %s\nserial: %s\nvalid: %s to %s\n", cert.Subject, cert.Issuer, cert.SerialNumber,
		cert.NotBefore.UTC().Format(time.RFC3339), cert.NotAfter.UTC().Format(time.RFC3339))
	fmt.Fprintln(w, "verdict: VALID")
	return true
}

// splitSaved returns the Content-Type and the body of a saved message:
// an HTTP request or response dump, a MIME file (headers, blank line,
// body) or a bare SOAP envelope.
func splitSaved(data []byte) (contentType string, body []byte, err error) {
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	switch {
	case bytes.HasPrefix(trimmed, []byte("<")):
		return "application/soap+xml", trimmed, nil
	case bytes.HasPrefix(trimmed, []byte("HTTP/")):
		resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(trimmed)), nil)
		if err != nil {
			return "", nil, fmt.Errorf("reading the HTTP response dump: %w", err)
		}
		body, err := io.ReadAll(resp.Body)
		return resp.Header.Get("Content-Type"), body, err
	}
	if req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(trimmed))); err == nil {
		body, err := io.ReadAll(req.Body)
		return req.Header.Get("Content-Type"), body, err
	}
	br := bufio.NewReader(bytes.NewReader(trimmed))
	h, err := textproto.NewReader(br).ReadMIMEHeader()
	if err != nil || h.Get("Content-Type") == "" {
		return "", nil, fmt.Errorf("not an HTTP dump, a MIME file with a Content-Type header or a SOAP envelope")
	}
	body, err = io.ReadAll(br)
	return h.Get("Content-Type"), body, err
}
