package provider

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/google/uuid"
	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/edm"
	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

// Message properties OOTS puts on EDM user messages.
const (
	propExchangeID      = "ExchangeId"
	propSpecificationID = "SpecificationId"
)

// inbound is what the answer needs from the AS4 message of a request.
type inbound struct {
	MessageID      string
	ConversationID string
	ExchangeID     string // ExchangeId property, else the ConversationId
	Requester      string // P-Mode party name of the sender
	Delivery       *as4.Delivery
}

// reply is an answer ready to be queued: the EDM message, its action and
// version, and the evidence attachment when there is one.
type reply struct {
	Action   string
	Message  edm.Message
	Version  edm.Version
	Evidence *document
	CID      string // Content-ID of the evidence attachment
}

// deliver is the as4.Receiver callback: it answers the request and queues
// the answer in the outbox before the receipt goes back, so an
// acknowledged request is always answered, even across a crash. An error
// (storage trouble) makes the requester's AS4 layer send again.
func (p *Provider) deliver(ctx context.Context, d *as4.Delivery) error {
	in := &inbound{
		MessageID: d.Message.MessageID, ConversationID: d.Message.ConversationID,
		ExchangeID: d.Message.Property(propExchangeID), Delivery: d,
	}
	if in.ExchangeID == "" {
		in.ExchangeID = in.ConversationID
	}
	if d.From != nil {
		in.Requester = d.From.Name
	}
	log := p.cfg.Logger.With("message", in.MessageID, "exchange", in.ExchangeID)
	if d.Message.Action != as4.ActionQueryRequest {
		return as4.ErrProcessingModeMismatch.Withf(in.MessageID, "provider: action %q: only %s is served", d.Message.Action, as4.ActionQueryRequest)
	}
	body, err := edmPayload(d)
	rep, err := p.answer(ctx, in, body, err)
	if err != nil {
		log.Error("provider: request not answered", "err", err)
		return err
	}
	if err := p.enqueue(ctx, in, rep); err != nil {
		log.Error("provider: answer not queued", "err", err)
		return err
	}
	log.Info("provider: answer queued", "action", rep.Action)
	p.wake()
	return nil
}

// edmPayload returns the bytes of the EDM payload: the one part with the
// RegRep MIME type (or the only part).
func edmPayload(d *as4.Delivery) ([]byte, error) {
	var pick *as4.Payload
	for i := range d.Payloads {
		if d.Payloads[i].MimeType == as4.MimeEbRS {
			if pick != nil {
				return nil, errors.New("payloads: more than one application/x-ebrs+xml part")
			}
			pick = &d.Payloads[i]
		}
	}
	if pick == nil && len(d.Payloads) == 1 && strings.HasSuffix(d.Payloads[0].MimeType, "xml") {
		pick = &d.Payloads[0]
	}
	if pick == nil {
		return nil, fmt.Errorf("payloads: no %s part among %d", as4.MimeEbRS, len(d.Payloads))
	}
	rc, err := pick.Open()
	if err != nil {
		return nil, fmt.Errorf("payload %s: %w", pick.ContentID, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, xmlsafe.DefaultLimit+1))
	if err != nil {
		return nil, fmt.Errorf("payload %s: %w", pick.ContentID, err)
	}
	if len(b) > xmlsafe.DefaultLimit {
		return nil, fmt.Errorf("payload %s: %w", pick.ContentID, xmlsafe.ErrTooLarge)
	}
	return b, nil
}

// enqueue puts the reply into the AS4 outbox. Its MessageId derives from
// the request's, so answering the same request twice queues one message.
func (p *Provider) enqueue(ctx context.Context, in *inbound, rep *reply) error {
	body, err := rep.Message.Marshal(rep.Version)
	if err != nil {
		return fmt.Errorf("provider: marshal %s: %w", rep.Action, err)
	}
	host := strings.ToLower(p.cfg.PModes.Self) + ".provider.vienreiz"
	sub := &as4.Submission{
		MessageID:      answerID(in.MessageID, host),
		ConversationID: in.ConversationID,
		RefToMessageID: in.MessageID,
		To:             in.Requester,
		Service:        as4.OOTSService,
		Action:         rep.Action,
		Properties:     answerProperties(in, rep.Version),
		Payloads: []as4.Payload{{
			ContentID: "edm" + strings.ReplaceAll(uuidOf(in.MessageID, "edm"), "-", "") + "@" + host,
			MimeType:  as4.MimeEbRS,
			Open:      bytesOpener(body),
		}},
	}
	if rep.Evidence != nil {
		sub.Payloads = append(sub.Payloads, as4.Payload{
			ContentID: rep.CID, MimeType: rep.Evidence.Format, Open: bytesOpener(rep.Evidence.Data),
		})
	}
	if _, err := p.sender.Submit(ctx, sub); err != nil && !errors.Is(err, as4.ErrExists) {
		return fmt.Errorf("provider: queue %s: %w", rep.Action, err)
	}
	return nil
}

// answerProperties swaps originalSender and finalRecipient of the request
// and, from EDM v2.0, carries its ExchangeId and the version answered.
func answerProperties(in *inbound, v edm.Version) []as4.Property {
	var out []as4.Property
	for _, pr := range in.Delivery.Message.Properties {
		switch pr.Name {
		case as4.PropOriginalSender:
			pr.Name = as4.PropFinalRecipient
		case as4.PropFinalRecipient:
			pr.Name = as4.PropOriginalSender
		default:
			continue
		}
		out = append(out, pr)
	}
	if v.Major() >= 2 { // v1.0 headers carry neither (see requester.Query.submission)
		out = append(out, as4.Property{Name: propExchangeID, Value: in.ExchangeID},
			as4.Property{Name: propSpecificationID, Value: string(v)})
	}
	return out
}

// answerID is the MessageId of the answer to request msgID.
func answerID(msgID, host string) string { return uuidOf(msgID, "answer") + "@" + host }

// uuidOf derives a stable UUID from a request MessageId and a purpose.
func uuidOf(msgID, purpose string) string {
	h := sha256.Sum256([]byte(purpose + "\x00" + msgID))
	return uuid.NewSHA1(uuid.NameSpaceOID, h[:]).String()
}

func bytesOpener(b []byte) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
}
