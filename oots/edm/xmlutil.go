package edm

import (
	"bytes"
	"crypto/rand"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/beevik/etree"
	"github.com/vienreiz/vienreiz/oots/regrep"
	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

// newDocument starts a message document with an XML declaration and a root
// element that declares the standard RegRep prefixes.
func newDocument(root string) (*etree.Document, *etree.Element) {
	doc := etree.NewDocument()
	doc.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
	r := doc.CreateElement(root)
	regrep.DeclareStandard(r)
	return doc, r
}

// serialize writes doc compactly (no indentation: it is a machine-to-machine
// payload, and indenting costs a fifth of the build time) into a buffer
// sized for a typical message.
func serialize(doc *etree.Document) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(8 << 10)
	if _, err := doc.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// MarshalIndent is Marshal with the output indented by two spaces, for
// logs and people.
func MarshalIndent(m Message, v Version) ([]byte, error) {
	doc, err := m.Build(v)
	if err != nil {
		return nil, err
	}
	doc.Indent(2)
	return doc.WriteToBytes()
}

// parseRoot parses data through xmlsafe (size limit, no DTD) and checks
// that the root is query:<local>.
func parseRoot(data []byte, local string) (*etree.Element, error) {
	if len(data) > xmlsafe.DefaultLimit {
		return nil, fmt.Errorf("%w (%d bytes)", xmlsafe.ErrTooLarge, xmlsafe.DefaultLimit)
	}
	doc, err := xmlsafe.ParseBytes(data)
	if err != nil {
		return nil, err
	}
	root := doc.Root()
	if local != "" && !regrep.Is(root, regrep.NSQuery, local) {
		return nil, regrep.FieldErr("query:"+local, fmt.Errorf("%w: root is %s", ErrRoot, regrep.Name(root)))
	}
	return root, nil
}

// NewID returns a fresh random request or object identifier in the form
// OOTS requires: "urn:uuid:" followed by an RFC 4122 version 4 UUID.
func NewID() string { return "urn:uuid:" + NewUUID() }

// NewUUID returns a random RFC 4122 version 4 UUID without prefix, the form
// of EvidenceResponseIdentifier and sdg:Identifier values.
func NewUUID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return formatUUID(b)
}

// derivedID returns a stable "urn:uuid:" identifier computed from seed (a
// name-based, SHA-1, version 5 style UUID), for objects the v2 layout needs
// but the caller did not name, so that the same input builds the same
// bytes.
func derivedID(seed string) string {
	sum := sha1.Sum([]byte(seed))
	var b [16]byte
	copy(b[:], sum[:16])
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	return "urn:uuid:" + formatUUID(b)
}

func formatUUID(b [16]byte) string {
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:36], b[10:16])
	return string(s[:])
}

// slotSet gives typed, error-naming access to the slots of one element.
type slotSet []regrep.Slot

func (s slotSet) lookup(name string, required bool) (*regrep.Slot, error) {
	if required {
		return regrep.Require(s, name)
	}
	return regrep.Lookup(s, name)
}

func (s slotSet) str(name string, required bool) (string, error) {
	sl, err := s.lookup(name, required)
	if err != nil || sl == nil {
		return "", err
	}
	v, err := sl.StringValue()
	if err == nil && required && v == "" {
		err = regrep.SlotErr(name, fmt.Errorf("rim:Value: %w", ErrMissing))
	}
	return stringsTrim(v), err
}

func (s slotSet) dateTime(name string, required bool) (time.Time, error) {
	sl, err := s.lookup(name, required)
	if err != nil || sl == nil {
		return time.Time{}, err
	}
	sl.Value.Text = stringsTrim(sl.Value.Text)
	return sl.DateTimeValue()
}

func (s slotSet) boolean(name string) (bool, error) {
	sl, err := s.lookup(name, true)
	if err != nil {
		return false, err
	}
	sl.Value.Text = stringsTrim(sl.Value.Text)
	return sl.BoolValue()
}

// anys returns the sdg content of an AnyValueType slot or of a collection of
// AnyValueType elements.
func (s slotSet) anys(name string, required bool) ([]*etree.Element, error) {
	sl, err := s.lookup(name, required)
	if err != nil || sl == nil {
		return nil, err
	}
	els, err := sl.AnyElements()
	if err == nil && required && len(els) == 0 {
		err = regrep.SlotErr(name, ErrMissing)
	}
	return els, err
}

// agents reads the sdg:Agent content of slot name.
func (s slotSet) agents(name string, required bool) ([]Agent, error) {
	els, err := s.anys(name, required)
	if err != nil {
		return nil, err
	}
	out := make([]Agent, 0, len(els))
	for _, e := range els {
		if err := expect(e, "Agent"); err != nil {
			return nil, regrep.SlotErr(name, err)
		}
		a, err := parseAgent(e)
		if err != nil {
			return nil, regrep.SlotErr(name, err)
		}
		out = append(out, a)
	}
	return out, nil
}

// agent reads the single sdg:Agent of slot name.
func (s slotSet) agent(name string, required bool) (*Agent, error) {
	as, err := s.agents(name, required)
	if err != nil || len(as) == 0 {
		return nil, err
	}
	if len(as) > 1 {
		return nil, regrep.SlotErr(name, fmt.Errorf("%w: %d agents, want one", ErrDuplicate, len(as)))
	}
	return &as[0], nil
}

func stringsTrim(s string) string {
	start, end := 0, len(s)
	for start < end && isSpace(s[start]) {
		start++
	}
	for end > start && isSpace(s[end-1]) {
		end--
	}
	return s[start:end]
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
