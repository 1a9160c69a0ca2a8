package wss

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/beevik/etree"

	"github.com/vienreiz/vienreiz/oots/as4/keys"
)

// Decrypt reverses Encrypt on a received envelope: it unwraps the content
// key of the one xenc:EncryptedKey addressed to id, decrypts each part
// named by an xenc:EncryptedData of its ReferenceList into a file from
// spool, and checks the AES-GCM tag before the part is returned. Parts
// come back in the order given, with the content type the sender recorded
// (EncryptedData/@MimeType); each Open reads the spooled file from the
// start. The caller owns the spool files: it closes and removes them when
// the message is done. On any failure every spool file made so far has
// been closed and removed.
//
// A message with parts must have every part encrypted; a message without
// parts or encryption comes back unchanged. Only AES-GCM content
// encryption and RSA-OAEP with SHA-256 or longer are accepted.
func Decrypt(env *etree.Document, parts []Part, id keys.Identity, spool func() (*os.File, error)) ([]Part, error) {
	e, err := splitEnvelope(env)
	if err != nil {
		return nil, err
	}
	if err := checkContentIDs(parts); err != nil {
		return nil, err
	}
	sec, err := parseSecurity(e)
	if err != nil {
		return nil, err
	}
	if len(sec.encKeys) == 0 {
		if len(sec.encData) > 0 {
			return nil, policyErr("xenc:EncryptedData without an xenc:EncryptedKey")
		}
		if len(parts) > 0 {
			return nil, policyErr("attachments are not encrypted")
		}
		return parts, nil
	}
	if len(sec.encKeys) != 1 {
		return nil, policyErr("wsse:Security holds %d xenc:EncryptedKey elements, want one", len(sec.encKeys))
	}
	ek := sec.encKeys[0]
	targets, err := encryptedTargets(sec, ek, parts)
	if err != nil {
		return nil, err
	}
	key, err := unwrapKey(ek, id)
	if err != nil {
		return nil, err
	}

	out := make([]Part, len(parts))
	var made []*os.File
	budget := int64(memPlainBudget)
	cleanup := func() {
		for _, f := range made {
			f.Close()
			os.Remove(f.Name())
		}
	}
	for i, p := range parts {
		t := targets[p.ContentID]
		if len(key) != t.keySize {
			cleanup()
			return nil, decErr("content key is %d bytes, %s needs %d", len(key), t.alg, t.keySize)
		}
		open, f, err := openPart(p, key, spool, &budget)
		if err != nil {
			cleanup()
			return nil, err
		}
		if f != nil {
			made = append(made, f)
		}
		out[i] = Part{ContentID: p.ContentID, ContentType: t.mimeType, Open: open}
	}
	return out, nil
}

// encTarget is what an xenc:EncryptedData says about one part.
type encTarget struct {
	alg      string
	keySize  int
	mimeType string
}

// encryptedTargets follows the ReferenceList of ek to the EncryptedData
// elements in sec and checks each: Attachment-Content-Only, AES-GCM, a
// cid: CipherReference with the Attachment-Ciphertext-Transform naming a
// part of the message. Every part must be covered exactly once.
func encryptedTargets(sec *security, ek *etree.Element, parts []Part) (map[string]encTarget, error) {
	rl, err := child(ek, NSXenc, "ReferenceList")
	if err != nil {
		return nil, policyErr("xenc:EncryptedKey: %v", err)
	}
	targets := map[string]encTarget{}
	for _, dr := range children(rl, NSXenc, "DataReference") {
		uri, _ := attr(dr, "", "URI")
		id, ok := strings.CutPrefix(uri, "#")
		ed := sec.encData[id]
		if !ok || ed == nil {
			return nil, policyErr("xenc:DataReference %q names no xenc:EncryptedData in wsse:Security", uri)
		}
		if typ, _ := attr(ed, "", "Type"); typ != TypeAttachmentContent {
			return nil, policyErr("xenc:EncryptedData %q Type %q is not Attachment-Content-Only", id, typ)
		}
		em, err := child(ed, NSXenc, "EncryptionMethod")
		if err != nil {
			return nil, policyErr("xenc:EncryptedData %q: %v", id, err)
		}
		var t encTarget
		t.alg, _ = attr(em, "", "Algorithm")
		if t.keySize, err = dataKeySize(t.alg); err != nil {
			return nil, fmt.Errorf("xenc:EncryptedData %q: %w", id, err)
		}
		t.mimeType, _ = attr(ed, "", "MimeType")
		t.mimeType = orDefault(t.mimeType, "application/octet-stream")
		cid, err := cipherReference(ed)
		if err != nil {
			return nil, fmt.Errorf("xenc:EncryptedData %q: %w", id, err)
		}
		if _, _, ok := findPart(parts, cid); !ok {
			return nil, policyErr("xenc:EncryptedData %q names attachment cid:%s, which the message does not have", id, cid)
		}
		if _, dup := targets[cid]; dup {
			return nil, policyErr("attachment cid:%s is encrypted twice", cid)
		}
		targets[cid] = t
	}
	for _, p := range parts {
		if _, ok := targets[p.ContentID]; !ok {
			return nil, policyErr("attachment cid:%s is not encrypted", p.ContentID)
		}
	}
	return targets, nil
}

// cipherReference returns the Content-ID a CipherReference points at,
// checking its one transform.
func cipherReference(ed *etree.Element) (string, error) {
	cd, err := child(ed, NSXenc, "CipherData")
	if err != nil {
		return "", policyErr("%v", err)
	}
	cr, err := child(cd, NSXenc, "CipherReference")
	if err != nil {
		return "", policyErr("%v (attachments are encrypted by reference)", err)
	}
	uri, _ := attr(cr, "", "URI")
	cid, ok := strings.CutPrefix(uri, "cid:")
	if !ok || cid == "" {
		return "", policyErr("CipherReference URI %q is not a cid: reference", uri)
	}
	var algs []string
	if ts, err := child(cr, NSXenc, "Transforms"); err == nil {
		for _, t := range children(ts, NSDsig, "Transform") {
			a, _ := attr(t, "", "Algorithm")
			algs = append(algs, a)
		}
	}
	if len(algs) != 1 || algs[0] != AlgAttachmentCiphertext {
		return "", policyErr("CipherReference %q transforms %q, want only the Attachment-Ciphertext-Transform", uri, algs)
	}
	return cid, nil
}

// unwrapKey checks that ek is addressed to id and returns the content key.
func unwrapKey(ek *etree.Element, id keys.Identity) ([]byte, error) {
	em, err := child(ek, NSXenc, "EncryptionMethod")
	if err != nil {
		return nil, policyErr("xenc:EncryptedKey: %v", err)
	}
	oaep, err := keyTransport(em)
	if err != nil {
		return nil, err
	}
	if id.Cert == nil || id.Key == nil {
		return nil, decErr("no private key to decrypt with")
	}
	ki, err := child(ek, NSDsig, "KeyInfo")
	if err != nil {
		return nil, policyErr("xenc:EncryptedKey: %v", err)
	}
	if !recipientMatches(ki, ek.Parent(), id.Cert) {
		return nil, decErr("xenc:EncryptedKey is not addressed to certificate %q (serial %s)", id.Cert.Subject, id.Cert.SerialNumber)
	}
	cd, err := child(ek, NSXenc, "CipherData")
	if err != nil {
		return nil, policyErr("xenc:EncryptedKey: %v", err)
	}
	cv, err := child(cd, NSXenc, "CipherValue")
	if err != nil {
		return nil, policyErr("xenc:EncryptedKey: %v", err)
	}
	wrapped, err := decodeBase64(cv.Text())
	if err != nil {
		return nil, decErr("xenc:EncryptedKey CipherValue: %v", err)
	}
	dec, ok := id.Key.(crypto.Decrypter)
	if !ok {
		return nil, decErr("private key %T cannot decrypt", id.Key)
	}
	key, err := dec.Decrypt(rand.Reader, wrapped, &rsa.OAEPOptions{Hash: oaep.hash, MGFHash: oaep.mgf})
	if err != nil {
		// No detail: distinguishable OAEP failures are an oracle.
		return nil, decErr("xenc:EncryptedKey does not decrypt with the private key")
	}
	return key, nil
}

// Parts whose ciphertext is at most memPartLimit bytes are decrypted in
// memory, with crypto/cipher's AES-GCM, while the plaintext of one message
// held so stays within memPlainBudget; larger ones stream into spool files.
// A small message needs no file then (writing, truncating and reading one
// was a tenth of the receiver's CPU time besides RSA), and the hardware
// GHASH is faster than the streaming one.
const (
	memPartLimit   = 64 << 10
	memPlainBudget = 256 << 10
)

// openPart decrypts one part, in memory when it is small and budget
// allows (budget shrinks by its size), else into a fresh spool file, and
// returns how to read the plaintext and the file (nil in memory). On
// failure the file is closed and removed.
func openPart(p Part, key []byte, spool func() (*os.File, error), budget *int64) (func() (io.ReadCloser, error), *os.File, error) {
	if p.Open == nil {
		return nil, nil, decErr("part %q has no content", p.ContentID)
	}
	rc, err := p.Open()
	if err != nil {
		return nil, nil, decErr("opening part %q: %v", p.ContentID, err)
	}
	defer rc.Close()
	var src io.Reader = rc
	if limit := min(memPartLimit, *budget+gcmIVSize+gcmTagSize); limit > gcmIVSize+gcmTagSize {
		var head bytes.Buffer
		if _, err := head.ReadFrom(io.LimitReader(rc, limit+1)); err != nil {
			return nil, nil, decErr("reading part %q: %v", p.ContentID, err)
		}
		if int64(head.Len()) <= limit {
			plain, err := gcmOpenBytes(head.Bytes(), key)
			if err != nil {
				return nil, nil, partErr(p, err)
			}
			*budget -= int64(len(plain))
			return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(plain)), nil }, nil, nil
		}
		src = io.MultiReader(&head, rc)
	}
	f, err := spool()
	if err != nil {
		return nil, nil, fmt.Errorf("wss: spool file for part %q: %w", p.ContentID, err)
	}
	n, err := gcmOpen(f, src, key)
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, nil, partErr(p, err)
	}
	return func() (io.ReadCloser, error) { return io.NopCloser(io.NewSectionReader(f, 0, n)), nil }, f, nil
}

// partErr is the decryption failure of part p.
func partErr(p Part, err error) error {
	if errors.Is(err, errTagMismatch) {
		return decErr("part %q: %v (ciphertext changed or wrong key)", p.ContentID, err)
	}
	return decErr("part %q: %v", p.ContentID, err)
}
