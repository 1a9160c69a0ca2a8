package as4

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/beevik/etree"
	"github.com/vienreiz/vienreiz/oots/as4/pmode"
)

// outgoing is a message ready for the wire: the serialized, secured
// envelope and the (compressed, encrypted) parts.
type outgoing struct {
	id        string
	pm        *pmode.PMode
	responder *pmode.Party
	envelope  []byte
	parts     []Part
	sentRefs  []*etree.Element // ds:Reference of our signature, for NRR checks
	boundary  string
	body      []byte // the whole MIME body when small; nil: stream it
}

// build turns an outbox record into a message: compress, sign, encrypt.
func (s *Sender) build(rec *outboxRecord, spool *Spool) (*outgoing, error) {
	fail := func(format string, args ...any) (*outgoing, error) {
		return nil, fmt.Errorf("sender %s: %w", rec.MessageID, fmt.Errorf(format, args...))
	}
	pm := s.Config.ByID(rec.PModeID)
	if pm == nil {
		return fail("P-Mode %q no longer configured", rec.PModeID)
	}
	initiator, err := s.Config.Party(pm.Initiator.Party)
	if err != nil {
		return fail("initiator: %w", err)
	}
	responder, err := s.Config.Party(pm.Responder.Party)
	if err != nil {
		return fail("responder: %w", err)
	}
	if len(responder.Endpoints) == 0 {
		return fail("party %q has no endpoint", responder.Name)
	}
	u := &UserMessage{
		MessageID: rec.MessageID, RefToMessageID: rec.RefToMessageID, Timestamp: rec.Timestamp,
		From:      Party{IDs: partyIDs(initiator), Role: pm.Initiator.Role},
		To:        Party{IDs: partyIDs(responder), Role: pm.Responder.Role},
		Agreement: pm.Agreement, AgreementType: pm.AgreementType, PModeID: pm.ID,
		ConversationID: rec.ConversationID, Properties: rec.Properties,
	}
	if pm.Agreement == "" {
		u.PModeID = "" // @pmode lives on AgreementRef
	}
	if leg := findLeg(pm, rec); leg != nil {
		u.Service, u.ServiceType, u.Action = leg.Service, leg.ServiceType, leg.Action
	} else {
		return fail("P-Mode %q has no leg", pm.ID)
	}
	dir := s.messageDir(rec)
	var parts []Part
	for _, p := range rec.Payloads {
		part := BytesPart(p.ContentID, p.MimeType, p.Data)
		if p.File != "" {
			part = FilePart(p.ContentID, p.MimeType, filepath.Join(dir, p.File))
		}
		props := append([]Property{{Name: PartPropMimeType, Value: p.MimeType}}, withoutProps(p.Properties, PartPropMimeType, PartPropCompression)...)
		if pm.Compress {
			if part, err = compressWith(&s.gzip, part, spool); err != nil {
				return fail("%w", err)
			}
			props = append(props, Property{Name: PartPropCompression, Value: MimeGzip})
		}
		u.Parts = append(u.Parts, PartInfo{Href: "cid:" + p.ContentID, Properties: props})
		parts = append(parts, part)
	}
	doc := NewEnvelope(&Messaging{User: u})
	out := &outgoing{id: rec.MessageID, pm: pm, responder: responder}
	sec := pm.Security
	if sec.Sign {
		err := s.security().Sign(doc, parts, s.Identity, sec)
		yieldAfterRSA()
		if err != nil {
			return fail("sign: %w", err)
		}
		out.sentRefs = signedReferences(doc)
	}
	if sec.Encrypt {
		if responder.Cert == nil {
			return fail("party %q has no certificate to encrypt for", responder.Name)
		}
		if err := checkRecipient(responder.Cert, s.Trust, s.verifyAt()); err != nil {
			return fail("party %q: %w", responder.Name, err)
		}
		if parts, err = s.security().Encrypt(doc, parts, responder.Cert, sec, s.Rand); err != nil {
			return fail("encrypt: %w", err)
		}
	}
	if out.envelope, err = doc.WriteToBytes(); err != nil {
		return fail("serialize: %w", err)
	}
	out.parts = parts
	var b [12]byte
	if _, err := io.ReadFull(rand.Reader, b[:]); err != nil {
		return fail("boundary: %w", err)
	}
	out.boundary = "MIMEBoundary_" + hex.EncodeToString(b[:])
	out.body = bufferMIME(out.boundary, out.envelope, parts)
	return out, nil
}

// bodyBufferLimit is the largest MIME body kept in memory and sent with a
// Content-Length; larger ones are streamed (chunked) on every attempt.
const bodyBufferLimit = 1 << 20

// bufferMIME returns the MIME body when it fits in bodyBufferLimit bytes,
// else nil.
func bufferMIME(boundary string, envelope []byte, parts []Part) []byte {
	var buf bytes.Buffer
	if err := WriteMIME(&capWriter{w: &buf, room: bodyBufferLimit}, boundary, envelope, parts); err != nil {
		return nil
	}
	return buf.Bytes()
}

// capWriter fails once more than room bytes were written.
type capWriter struct {
	w    io.Writer
	room int
}

var errBodyTooLarge = errors.New("body larger than the buffer limit")

func (c *capWriter) Write(p []byte) (int, error) {
	if len(p) > c.room {
		return 0, errBodyTooLarge
	}
	c.room -= len(p)
	return c.w.Write(p)
}

// findLeg returns the P-Mode leg of the record's service and action.
func findLeg(pm *pmode.PMode, rec *outboxRecord) *pmode.Leg {
	for i := range pm.Legs {
		if pm.Legs[i].Service == rec.Service && pm.Legs[i].Action == rec.Action {
			return &pm.Legs[i]
		}
	}
	return nil
}

// partyIDs is the eb:PartyId of a party in eb:From or eb:To: its first id
// only (its access point), as in every OOTS sample and Domibus P-Mode. The
// other ids (data services behind the access point) travel as
// originalSender and finalRecipient properties.
func partyIDs(p *pmode.Party) []PartyID {
	if len(p.IDs) == 0 {
		return nil
	}
	return []PartyID{{Value: p.IDs[0].Value, Type: p.IDs[0].Type}}
}

func withoutProps(props []Property, names ...string) []Property {
	var out []Property
	for _, p := range props {
		skip := false
		for _, n := range names {
			skip = skip || p.Name == n
		}
		if !skip {
			out = append(out, p)
		}
	}
	return out
}

// signedReferences returns copies of the ds:Reference elements of the
// wsse:Security signature in doc.
func signedReferences(doc *etree.Document) []*etree.Element {
	var out []*etree.Element
	header, _, err := Envelope(doc)
	if err != nil {
		return nil
	}
	for _, sec := range header.ChildElements() {
		if sec.Tag != "Security" || sec.NamespaceURI() != NSWSSE {
			continue
		}
		for _, sig := range sec.ChildElements() {
			if sig.Tag != "Signature" || sig.NamespaceURI() != NSDSig {
				continue
			}
			for _, si := range sig.ChildElements() {
				if si.Tag != "SignedInfo" || si.NamespaceURI() != NSDSig {
					continue
				}
				for _, ref := range si.ChildElements() {
					if ref.Tag == "Reference" && ref.NamespaceURI() == NSDSig {
						out = append(out, detachedCopy(ref, NSDSig))
					}
				}
			}
		}
	}
	return out
}

// referenceKey identifies a ds:Reference by its URI and digest value.
func referenceKey(ref *etree.Element) string {
	dv := ""
	for _, c := range ref.ChildElements() {
		if c.Tag == "DigestValue" {
			dv = c.Text()
		}
	}
	return ref.SelectAttrValue("URI", "") + " " + dv
}

// checkNRR reports whether the receipt's references acknowledge exactly
// the references we signed.
func checkNRR(sent, got []*etree.Element) error {
	if len(got) == 0 {
		return errors.New("receipt has no ds:Reference (non-repudiation information)")
	}
	want := map[string]bool{}
	for _, r := range sent {
		want[referenceKey(r)] = true
	}
	for _, r := range got {
		k := referenceKey(r)
		if !want[k] {
			return fmt.Errorf("receipt acknowledges reference %q we did not sign", k)
		}
		delete(want, k)
	}
	if len(want) > 0 {
		return fmt.Errorf("receipt misses %d of our signed references", len(want))
	}
	return nil
}
