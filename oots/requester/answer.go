package requester

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/edm"
	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

// Answer is one answer of a provider, as Config.OnAnswer receives it.
type Answer struct {
	// MessageID is the ebMS MessageId of the answer, RefToMessageID the
	// MessageId of our request (Sent.MessageID).
	MessageID      string
	RefToMessageID string
	// ExchangeID is the ExchangeId message property, else the
	// ConversationId.
	ExchangeID     string
	ConversationID string
	// From is the P-Mode party name of the sender.
	From string
	// Action is ExecuteQueryResponse or ExceptionResponse.
	Action string
	// Message is the parsed EDM answer: *edm.QueryResponse or
	// *edm.ExceptionResponse, with ExchangeID set.
	Message edm.Message
	// Attachments are the evidence documents, copied to files under
	// Config.Dir/answers/ (the caller moves or removes them).
	Attachments []Attachment
	// Refused is set, with Message nil, when the answer's EDM payload
	// breaks an OOTS business rule: the provider gets an ebMS error and
	// OnAnswer is told once so the request's timeline records the rule.
	Refused *edm.RuleError
}

// Attachment is one evidence document of an answer, kept in a file.
type Attachment struct {
	ContentID   string // without "cid:"
	ContentType string
	Path        string
	Size        int64
	SHA256      [32]byte
}

// ErrRefused, wrapped in an error of Config.OnAnswer, refuses an answer
// for good (a size policy, say): the provider gets an ebMS error
// (EBMS:0202) instead of a reason to send it again.
var ErrRefused = errors.New("answer refused")

// errDelivery marks an answer that can never be delivered: the provider
// gets an ebMS error instead of a retry.
var errDelivery = errors.New("answer refused")

// deliver is the as4.Receiver callback: it reads the answer, keeps the
// attachments and calls OnAnswer. Trouble on our side (files, OnAnswer)
// marks the request for a retry; see retryOnCallbackError.
func (r *Requester) deliver(ctx context.Context, d *as4.Delivery) error {
	a, edmPart, err := readAnswer(d)
	if err != nil {
		r.cfg.Logger.Warn("requester: answer refused", "message", d.Message.MessageID, "err", err)
		var rule *edm.RuleError
		if errors.As(err, &rule) && a.ExchangeID != "" {
			a.Refused = rule
			if cbErr := r.cfg.OnAnswer(ctx, a); cbErr != nil {
				r.cfg.Logger.Warn("requester: recording the refused answer failed", "message", a.MessageID, "err", cbErr)
			}
		}
		return err
	}
	log := r.cfg.Logger.With("message", a.MessageID, "exchange", a.ExchangeID, "ref", a.RefToMessageID)
	files, err := r.keep(d, edmPart, a.MessageID)
	if err != nil {
		markRetry(ctx)
		log.Error("requester: attachments not kept", "err", err)
		return err
	}
	a.Attachments = files.list
	if err := r.cfg.OnAnswer(ctx, a); err != nil {
		files.remove()
		if errors.Is(err, ErrRefused) {
			log.Warn("requester: answer refused by policy; the provider gets an ebMS error", "err", err)
			return err
		}
		markRetry(ctx)
		log.Warn("requester: answer callback failed; the provider will send again", "err", err)
		return fmt.Errorf("requester: OnAnswer: %w", err)
	}
	log.Info("requester: answer delivered", "action", a.Action, "attachments", len(a.Attachments))
	return nil
}

// readAnswer checks an incoming user message and parses its EDM payload.
// It returns the answer without attachments and the index of the EDM
// payload.
func readAnswer(d *as4.Delivery) (Answer, int, error) {
	u := d.Message
	a := Answer{
		MessageID: u.MessageID, RefToMessageID: u.RefToMessageID,
		ConversationID: u.ConversationID, ExchangeID: u.Property(PropExchangeID), Action: u.Action,
	}
	if d.From != nil {
		a.From = d.From.Name
	}
	if a.ExchangeID == "" {
		a.ExchangeID = a.ConversationID
	}
	if u.Service != as4.OOTSService || (u.Action != as4.ActionQueryResponse && u.Action != as4.ActionExceptionResponse) {
		return a, 0, fmt.Errorf("%w: service %q action %q: want %s %s or %s", errDelivery, u.Service, u.Action,
			as4.OOTSService, as4.ActionQueryResponse, as4.ActionExceptionResponse)
	}
	if a.RefToMessageID == "" {
		return a, 0, fmt.Errorf("%w: RefToMessageId: empty (an answer names its request)", errDelivery)
	}
	idx := -1
	for i, p := range d.Payloads {
		if p.MimeType != as4.MimeEbRS {
			continue
		}
		if idx >= 0 {
			return a, 0, fmt.Errorf("%w: payloads: more than one %s part", errDelivery, as4.MimeEbRS)
		}
		idx = i
	}
	if idx < 0 {
		return a, 0, fmt.Errorf("%w: payloads: no %s part among %d", errDelivery, as4.MimeEbRS, len(d.Payloads))
	}
	body, err := readLimited(d.Payloads[idx])
	if err != nil {
		return a, 0, fmt.Errorf("%w: EDM payload %s: %w", errDelivery, d.Payloads[idx].ContentID, err)
	}
	m, err := parseEDM(body, a.Action)
	if err != nil {
		return a, 0, err
	}
	if err := checkAttachments(m, d.Payloads, idx); err != nil {
		return a, 0, err
	}
	switch x := m.(type) {
	case *edm.QueryResponse:
		x.ExchangeID = a.ExchangeID
	case *edm.ExceptionResponse:
		x.ExchangeID = a.ExchangeID
	}
	a.Message = m
	return a, idx, nil
}

// parseEDM parses the EDM answer and checks it fits the action.
func parseEDM(body []byte, action string) (edm.Message, error) {
	m, err := edm.Parse(body)
	if err != nil {
		return nil, fmt.Errorf("%w: EDM payload: %w", errDelivery, err)
	}
	switch m.(type) {
	case *edm.QueryResponse:
		if action != as4.ActionQueryResponse {
			return nil, fmt.Errorf("%w: action %s carries a QueryResponse", errDelivery, action)
		}
	case *edm.ExceptionResponse:
		if action != as4.ActionExceptionResponse {
			return nil, fmt.Errorf("%w: action %s carries an ExceptionResponse", errDelivery, action)
		}
	default:
		return nil, fmt.Errorf("%w: EDM payload is a %T, not an answer", errDelivery, m)
	}
	return m, nil
}

// checkAttachments requires every evidence of a QueryResponse to name a
// payload of the message, and refuses payloads no evidence names.
func checkAttachments(m edm.Message, payloads []as4.Payload, edmIdx int) error {
	named := map[string]bool{}
	if qr, ok := m.(*edm.QueryResponse); ok {
		for i, ev := range qr.Evidence {
			cid := ev.Attachment.ContentID()
			if cid == "" {
				return fmt.Errorf("%w: evidence %d: RepositoryItemRef %q is not a cid: reference", errDelivery, i, ev.Attachment.Href)
			}
			named[cid] = true
		}
	}
	have := map[string]bool{}
	for i, p := range payloads {
		if i == edmIdx {
			continue
		}
		if !named[p.ContentID] {
			return fmt.Errorf("%w: payload %s: no evidence refers to it", errDelivery, p.ContentID)
		}
		have[p.ContentID] = true
	}
	for cid := range named {
		if !have[cid] {
			return fmt.Errorf("%w: evidence attachment %s: no such payload", errDelivery, cid)
		}
	}
	return nil
}

// readLimited reads a payload of at most xmlsafe.DefaultLimit bytes.
func readLimited(p as4.Payload) ([]byte, error) {
	rc, err := p.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, xmlsafe.DefaultLimit+1))
	if err != nil {
		return nil, err
	}
	if len(b) > xmlsafe.DefaultLimit {
		return nil, xmlsafe.ErrTooLarge
	}
	return b, nil
}
