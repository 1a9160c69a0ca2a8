package requester

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/google/uuid"
	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/edm"
)

// Message properties OOTS puts on EDM user messages beside originalSender
// and finalRecipient.
const (
	PropExchangeID      = "ExchangeId"
	PropSpecificationID = "SpecificationId"
)

// ErrQueued means the request is in the outbox but was not acknowledged
// before the context of Send ended; Run sends it.
var ErrQueued = errors.New("request queued in the outbox, not yet acknowledged")

// Sent tells what Send did.
type Sent struct {
	// MessageID is the ebMS MessageId of the AS4 user message; answers
	// carry it as RefToMessageId.
	MessageID string
	// RequestID is the EDM request id (urn:uuid:…).
	RequestID  string
	ExchangeID string
	// Endpoint is the provider endpoint that acknowledged the message and
	// Attempts the HTTP posts it took (both zero with ErrQueued).
	Endpoint string
	Attempts int
}

// Send builds the EDM QueryRequest of q and sends it to the provider's
// access point as an ExecuteQueryRequest user message, returning once the
// provider acknowledged it. The message goes through the persistent
// outbox: when ctx ends before the receipt (or Run took the message over),
// Send returns Sent with ErrQueued and Run sends the message. An ebMS error from the
// provider or an exhausted retry budget is returned as it is (*as4.Error).
func (r *Requester) Send(ctx context.Context, q Query) (Sent, error) {
	if err := q.check(); err != nil {
		return Sent{}, err
	}
	v, err := q.version()
	if err != nil {
		return Sent{}, err
	}
	to, err := r.partyOf(q)
	if err != nil {
		return Sent{}, err
	}
	req := q.request(r.cfg.Now())
	body, err := req.Marshal(v)
	if err != nil {
		return Sent{}, fmt.Errorf("requester: EDM request: %w", err)
	}
	id := messageIDOf(r.cfg.PModes.Self, q)
	sent := Sent{MessageID: id, RequestID: req.ID, ExchangeID: q.ExchangeID}
	sub := q.submission(id, to, req, v, body)
	log := r.cfg.Logger.With("message", id, "exchange", q.ExchangeID)
	res, err := r.sender.Send(ctx, sub)
	if errors.Is(err, as4.ErrExists) {
		return r.sentBefore(ctx, sent, log)
	}
	if err != nil {
		// Still pending: the context ended first, or Run is sending it
		// right now; either way the outbox has it.
		if !errors.As(err, new(*as4.Error)) && r.pending(id) {
			log.Warn("requester: request queued", "err", err)
			return sent, fmt.Errorf("requester: %s: %w (%w)", id, ErrQueued, err)
		}
		log.Error("requester: request not sent", "err", err)
		return sent, fmt.Errorf("requester: send %s: %w", id, err)
	}
	sent.Endpoint, sent.Attempts = res.Endpoint, res.Attempts
	log.Info("requester: request acknowledged", "endpoint", res.Endpoint, "preview", q.PreviewLocation != "")
	return sent, nil
}

// submission is the AS4 user message carrying the EDM request body of
// version v, with MessageId id, to the P-Mode party to.
//
// The message properties follow the official header samples of each
// version: originalSender (our authority) and finalRecipient (the
// evidence provider, the DSD's Publisher, as in the request's
// EvidenceProvider) always; ExchangeId and SpecificationId only from v2.0,
// which introduced them (no v1.0 sample has them).
//
// ConversationId: in v2.0 the ExchangeId property ties the preview flow
// together, and the oots-france headers show ConversationId as one AS4
// conversation, a request and its answer, distinct from the ExchangeId; so
// each request gets its own, derived from its MessageId (a message sent
// again after a crash keeps it). v1.0 has no ExchangeId property: the
// ConversationId is the only header that can tie the first request, the
// preview answer, the second request and the evidence together, so it is
// the ExchangeID there (the provider answers within the conversation it
// was asked in, in both versions).
func (q *Query) submission(id, to string, req *edm.QueryRequest, v edm.Version, body []byte) *as4.Submission {
	pr := q.Provider.Provider.ID
	props := []as4.Property{
		{Name: as4.PropOriginalSender, Type: req.EvidenceRequesters[0].Identifier.SchemeID, Value: q.Requester.ID},
		{Name: as4.PropFinalRecipient, Type: pr.Type, Value: pr.Value},
	}
	conversation := q.ExchangeID
	if v.Major() >= 2 {
		props = append(props, as4.Property{Name: PropExchangeID, Value: q.ExchangeID}, as4.Property{Name: PropSpecificationID, Value: string(v)})
		conversation = uuid.NewSHA1(uuid.NameSpaceOID, []byte("conversation\x00"+id)).String()
	}
	return &as4.Submission{
		MessageID:      id,
		ConversationID: conversation,
		To:             to,
		Service:        as4.OOTSService,
		Action:         as4.ActionQueryRequest,
		Properties:     props,
		Payloads: []as4.Payload{{MimeType: as4.MimeEbRS, Open: func() (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(body)), nil
		}}},
	}
}

// sentBefore answers a Send of a request the outbox already holds (the
// caller asks again after a crash): what became of the first one. The
// EDM request id is then the first message's, not sent.RequestID.
func (r *Requester) sentBefore(ctx context.Context, sent Sent, log *slog.Logger) (Sent, error) {
	sent.RequestID = ""
	status, detail, err := r.db.Status(ctx, sent.MessageID)
	switch {
	case err != nil:
		return sent, fmt.Errorf("requester: send %s again: %w", sent.MessageID, err)
	case status == "sent":
		log.Info("requester: request was acknowledged before; not sent again")
		return sent, nil
	case status == "":
		log.Info("requester: request is in the outbox already; Run sends it")
		return sent, fmt.Errorf("requester: %s: %w", sent.MessageID, ErrQueued)
	default:
		return sent, fmt.Errorf("requester: send %s: it failed before: %s", sent.MessageID, detail)
	}
}

// partyOf is the P-Mode party name the request goes to: the party that
// lists the DSD party id, else Config.DefaultParty.
func (r *Requester) partyOf(q Query) (string, error) {
	if p := r.cfg.PModes.PartyByID(q.Provider.PartyID.Value, q.Provider.PartyID.Type); p != nil {
		return p.Name, nil
	}
	if r.cfg.DefaultParty != "" {
		return r.cfg.DefaultParty, nil
	}
	return "", fmt.Errorf("requester: Provider.PartyID %s: no party of the P-Mode configuration has this id", q.Provider.PartyID.URN())
}

// pending reports whether the outbox still holds message id unsent.
func (r *Requester) pending(id string) bool {
	status, _, err := r.db.Status(context.Background(), id)
	return err == nil && status == ""
}
