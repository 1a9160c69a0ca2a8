package as4

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"
)

// Submission is a business message handed to the Sender: where it goes,
// under which service and action, and its payloads.
type Submission struct {
	// MessageID is the eb:MessageId; generated when empty. Re-submitting
	// an id already in the outbox fails with ErrExists.
	MessageID string
	// ConversationID is generated when empty.
	ConversationID string
	RefToMessageID string
	// To is the responder party name in the P-Mode configuration; it may
	// be empty when service and action select one P-Mode.
	To              string
	Service, Action string
	// Properties are the eb:MessageProperties (originalSender,
	// finalRecipient, and any others).
	Properties []Property
	Payloads   []Payload
}

// Payload is one attachment of a Submission or a Delivery.
type Payload struct {
	// ContentID without "cid:"; generated when empty.
	ContentID string
	// MimeType of the (uncompressed) content.
	MimeType string
	// Properties are extra eb:PartProperties; MimeType and CompressionType
	// are added by the Sender.
	Properties []Property
	// Open returns the content from the start, any number of times.
	Open func() (io.ReadCloser, error)
}

// Part returns the payload as a MIME Part.
func (p Payload) Part() Part {
	return Part{ContentID: p.ContentID, ContentType: p.MimeType, Open: p.Open}
}

func (s *Submission) validate() error {
	if s.Service == "" || s.Action == "" {
		return errors.New("submission: service and action are required")
	}
	if s.MessageID != "" {
		if err := checkMessageID(s.MessageID); err != nil {
			return fmt.Errorf("submission: message id %q: %w", s.MessageID, err)
		}
	}
	seen := map[string]bool{}
	for i, p := range s.Payloads {
		if p.Open == nil {
			return fmt.Errorf("submission: payload %d has no content", i)
		}
		if p.MimeType == "" {
			return fmt.Errorf("submission: payload %d has no MIME type", i)
		}
		if p.ContentID != "" {
			if err := checkMessageID(p.ContentID); err != nil {
				return fmt.Errorf("submission: payload %d content id %q: %w", i, p.ContentID, err)
			}
			if seen[p.ContentID] {
				return fmt.Errorf("submission: content id %q used twice", p.ContentID)
			}
			seen[p.ContentID] = true
		}
	}
	return nil
}

// newID returns a random UUID (version 4) followed by "@" and domain.
func newID(rnd io.Reader, domain string) (string, error) {
	if rnd == nil {
		rnd = rand.Reader
	}
	var b [16]byte
	if _, err := io.ReadFull(rnd, b[:]); err != nil {
		return "", fmt.Errorf("message id: %w", err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	id := h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
	if domain != "" {
		id += "@" + domain
	}
	return id, nil
}

// outboxRecord is what the Sender keeps in Outbox.Data for one message.
type outboxRecord struct {
	MessageID      string          `json:"messageId"`
	ConversationID string          `json:"conversationId"`
	RefToMessageID string          `json:"refToMessageId,omitempty"`
	PModeID        string          `json:"pmode"`
	Service        string          `json:"service"`
	Action         string          `json:"action"`
	Folder         string          `json:"folder,omitempty"` // payload files under the Sender's Dir
	Timestamp      time.Time       `json:"timestamp"`
	Properties     []Property      `json:"properties,omitempty"`
	Payloads       []storedPayload `json:"payloads,omitempty"`
}

type storedPayload struct {
	ContentID  string     `json:"contentId"`
	MimeType   string     `json:"mimeType"`
	Properties []Property `json:"properties,omitempty"`
	File       string     `json:"file,omitempty"` // name inside the message's outbox folder
	Data       []byte     `json:"data,omitempty"` // small payloads are kept in the record itself
}
