package wss

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"io"
	"sync"

	"github.com/beevik/etree"

	"github.com/vienreiz/vienreiz/oots/as4/pmode"
)

// Encrypt encrypts every part for recipient as the AS4 profile requires:
// one fresh AES-GCM content key (AES-128-GCM unless alg says otherwise)
// transported in an xenc:EncryptedKey with RSA-OAEP (SHA-256, MGF1-SHA-256),
// identified by the recipient's issuer and serial number, and one
// xenc:EncryptedData (Attachment-Content-Only) per part pointing at it with
// a cid: CipherReference. The elements go to the top of wsse:Security, so
// a receiver decrypts before it verifies. Call Sign first.
//
// The returned parts carry the ciphertext (IV ‖ data ‖ tag) and encrypt on
// the fly each time they are opened, with a fresh IV each time, so the
// plaintext parts must stay readable until the message is sent. rnd
// supplies the content key, the IVs (also later, when parts are opened)
// and the OAEP seed; nil means crypto/rand.Reader, the one to use in
// production.
func Encrypt(env *etree.Document, parts []Part, recipient *x509.Certificate, alg pmode.Security, rnd io.Reader) ([]Part, error) {
	if rnd == nil {
		rnd = rand.Reader
	}
	e, err := splitEnvelope(env)
	if err != nil {
		return nil, err
	}
	if recipient == nil {
		return nil, fmt.Errorf("wss: encrypt: no recipient certificate")
	}
	pub, ok := recipient.PublicKey.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("wss: encrypt: recipient key is %T, want RSA", recipient.PublicKey)
	}
	if len(parts) == 0 {
		return nil, nil
	}
	if err := checkContentIDs(parts); err != nil {
		return nil, fmt.Errorf("encrypt: %w", err)
	}
	dataAlg := orDefault(alg.DataEncryptionAlgorithm, AlgAES128GCM)
	keySize, err := dataKeySize(dataAlg)
	if err != nil {
		return nil, fmt.Errorf("encrypt: DataEncryptionAlgorithm: %w", err)
	}
	ekID, err := newID("EK-")
	if err != nil {
		return nil, err
	}
	ek := etree.NewElement("xenc:EncryptedKey")
	ek.CreateAttr("xmlns:xenc", NSXenc)
	ek.CreateAttr("xmlns:ds", NSDsig)
	ek.CreateAttr("Id", ekID)
	em := ek.CreateElement("xenc:EncryptionMethod")
	em.CreateAttr("Algorithm", orDefault(alg.KeyTransportAlgorithm, AlgRSAOAEP))
	em.CreateElement("ds:DigestMethod").CreateAttr("Algorithm", orDefault(alg.KeyTransportDigest, AlgSHA256))
	mgf := em.CreateElement("xenc11:MGF")
	mgf.CreateAttr("xmlns:xenc11", NSXenc11)
	mgf.CreateAttr("Algorithm", orDefault(alg.KeyTransportMGF, AlgMGF1SHA256))
	oaep, err := keyTransport(em)
	if err != nil {
		return nil, fmt.Errorf("encrypt: key transport: %w", err)
	}

	key := make([]byte, keySize)
	if _, err := io.ReadFull(rnd, key); err != nil {
		return nil, fmt.Errorf("wss: encrypt: content key: %w", err)
	}
	wrapped, err := rsa.EncryptOAEPWithOptions(rnd, pub, key, &rsa.OAEPOptions{Hash: oaep.hash, MGFHash: oaep.mgf})
	if err != nil {
		return nil, fmt.Errorf("wss: encrypt: RSA-OAEP key transport: %w", err)
	}
	str := ek.CreateElement("ds:KeyInfo").CreateElement("wsse:SecurityTokenReference")
	bst, err := recipientKeyInfo(str, recipient, alg.KeyInfo)
	if err != nil {
		return nil, err
	}
	ek.CreateElement("xenc:CipherData").CreateElement("xenc:CipherValue").SetText(base64.StdEncoding.EncodeToString(wrapped))
	refList := ek.CreateElement("xenc:ReferenceList")

	out := make([]Part, len(parts))
	var datas []*etree.Element
	ivs := &ivSource{rnd: rnd}
	for i, p := range parts {
		edID, err := newID("ED-")
		if err != nil {
			return nil, err
		}
		refList.CreateElement("xenc:DataReference").CreateAttr("URI", "#"+edID)
		datas = append(datas, encryptedData(edID, ekID, dataAlg, p))
		out[i] = sealedPart(p, key, ivs)
	}
	// Only now, with nothing left to fail, does the envelope change.
	sec, _, err := securityHeader(e)
	if err != nil {
		return nil, err
	}
	declareIfMissing(ek, sec, "wsse", NSWsse)
	at := 0
	if bst != nil {
		declareIfMissing(bst, sec, "wsse", NSWsse)
		declareIfMissing(bst, sec, "wsu", NSWsu)
		sec.InsertChildAt(0, bst)
		at = 1
	}
	sec.InsertChildAt(at, ek)
	for i, ed := range datas {
		declareIfMissing(ed, sec, "wsse", NSWsse)
		sec.InsertChildAt(at+1+i, ed)
	}
	return out, nil
}

// recipientKeyInfo names recipient inside the EncryptedKey's
// SecurityTokenReference str in the P-Mode's form (pmode.KeyInfo*): an
// X509IssuerSerial whose X509IssuerName Java's X500Principal reads as the
// certificate's issuer, a subject key identifier, or a reference to a
// BinarySecurityToken, returned for the caller to put in the header.
func recipientKeyInfo(str *etree.Element, recipient *x509.Certificate, form string) (bst *etree.Element, err error) {
	switch form {
	case "", pmode.KeyInfoIssuerSerial:
		is := str.CreateElement("ds:X509Data").CreateElement("ds:X509IssuerSerial")
		is.CreateElement("ds:X509IssuerName").SetText(issuerName(recipient))
		is.CreateElement("ds:X509SerialNumber").SetText(recipient.SerialNumber.String())
	case pmode.KeyInfoSKI:
		if len(recipient.SubjectKeyId) == 0 {
			return nil, fmt.Errorf("wss: encrypt: the P-Mode names the recipient by subject key identifier, but certificate %q has none", recipient.Subject)
		}
		kid := str.CreateElement("wsse:KeyIdentifier")
		kid.CreateAttr("EncodingType", EncodingBase64)
		kid.CreateAttr("ValueType", ValueTypeSKI)
		kid.SetText(base64.StdEncoding.EncodeToString(recipient.SubjectKeyId))
	case pmode.KeyInfoBST:
		id, err := newID("X509-")
		if err != nil {
			return nil, err
		}
		bst = etree.NewElement("wsse:BinarySecurityToken")
		bst.CreateAttr("EncodingType", EncodingBase64)
		bst.CreateAttr("ValueType", ValueTypeX509v3)
		bst.CreateAttr("wsu:Id", id)
		bst.SetText(base64.StdEncoding.EncodeToString(recipient.Raw))
		ref := str.CreateElement("wsse:Reference")
		ref.CreateAttr("URI", "#"+id)
		ref.CreateAttr("ValueType", ValueTypeX509v3)
	default:
		return nil, fmt.Errorf("wss: encrypt: unknown KeyInfo form %q", form)
	}
	return bst, nil
}

// encryptedData builds the xenc:EncryptedData of one attachment.
func encryptedData(edID, ekID, dataAlg string, p Part) *etree.Element {
	ed := etree.NewElement("xenc:EncryptedData")
	ed.CreateAttr("xmlns:xenc", NSXenc)
	ed.CreateAttr("xmlns:ds", NSDsig)
	ed.CreateAttr("Id", edID)
	ed.CreateAttr("MimeType", orDefault(p.ContentType, "application/octet-stream"))
	ed.CreateAttr("Type", TypeAttachmentContent)
	ed.CreateElement("xenc:EncryptionMethod").CreateAttr("Algorithm", dataAlg)
	str := ed.CreateElement("ds:KeyInfo").CreateElement("wsse:SecurityTokenReference")
	str.CreateAttr("xmlns:wsse11", NSWsse11)
	str.CreateAttr("wsse11:TokenType", TokenTypeEncKey)
	str.CreateElement("wsse:Reference").CreateAttr("URI", "#"+ekID)
	cr := ed.CreateElement("xenc:CipherData").CreateElement("xenc:CipherReference")
	cr.CreateAttr("URI", "cid:"+p.ContentID)
	cr.CreateElement("xenc:Transforms").CreateElement("ds:Transform").CreateAttr("Algorithm", AlgAttachmentCiphertext)
	return ed
}

// sealedPart returns the ciphertext view of p: each Open encrypts p's
// content again under a fresh IV, so the bytes differ between opens (the
// IV travels in them) and an IV is never used twice, even if p's content
// changed between opens.
func sealedPart(p Part, key []byte, ivs *ivSource) Part {
	return Part{
		ContentID:   p.ContentID,
		ContentType: "application/octet-stream",
		Open: func() (io.ReadCloser, error) {
			if p.Open == nil {
				return nil, fmt.Errorf("wss: part %q has no content", p.ContentID)
			}
			iv, err := ivs.next()
			if err != nil {
				return nil, err
			}
			rc, err := p.Open()
			if err != nil {
				return nil, fmt.Errorf("wss: opening part %q: %w", p.ContentID, err)
			}
			sr, err := newGCMSealReader(rc, key, iv)
			if err != nil {
				rc.Close()
				return nil, err
			}
			return readCloser{Reader: sr, Closer: rc}, nil
		},
	}
}

// ivSource draws IVs from the Encrypt caller's randomness; parts may be
// opened from several goroutines, the reader need not allow that.
type ivSource struct {
	mu  sync.Mutex
	rnd io.Reader
}

func (s *ivSource) next() ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	iv := make([]byte, gcmIVSize)
	if _, err := io.ReadFull(s.rnd, iv); err != nil {
		return nil, fmt.Errorf("wss: encrypt: iv: %w", err)
	}
	return iv, nil
}

// readCloser pairs a reader with the closer of what it reads from.
type readCloser struct {
	io.Reader
	io.Closer
}
