package exchange

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/edm"
	"github.com/vienreiz/vienreiz/oots/exchange/lifecycle"
	"github.com/vienreiz/vienreiz/oots/requester"
	"github.com/vienreiz/vienreiz/oots/store"
)

// Transport sends evidence requests to other member states;
// *requester.Requester satisfies it.
type Transport interface {
	Send(ctx context.Context, q requester.Query) (requester.Sent, error)
}

// send hands the QueryRequest of doc to the transport: the first one, or
// with previewLocation the second. An acknowledged message is QuerySent;
// a refusal by the access point or an exhausted retry budget is a
// ProviderError with the ebMS code.
func (q *Requests) send(ctx context.Context, rec *store.RequestRecord, doc *requestDoc, previewLocation string) ([]lifecycle.Effect, error) {
	if q.transport == nil || doc.DataService == nil {
		return nil, nil // waits in its state; the timeline shows it
	}
	query := requester.Query{
		ExchangeID:  doc.Facts.ID,
		Procedure:   doc.Procedure,
		Requirement: requester.Requirement{ID: doc.Facts.Requirement, Name: doc.RequirementEN},
		EvidenceType: requester.EvidenceType{
			ID: doc.DSDEvidenceTypeID, Classification: doc.Facts.EvidenceType.Classification,
			Titles: messageTexts(doc.Titles), Format: doc.Format,
		},
		Provider: doc.DataService.toMessage(),
		Subject: requester.Person{
			Identifier: doc.Subject.Subject, GivenName: doc.Subject.GivenName,
			FamilyName: doc.Subject.FamilyName, DateOfBirth: doc.Subject.DateOfBirth,
			LevelOfAssurance: doc.Subject.LevelOfAssurance,
		},
		Representative:  doc.representativePerson(),
		Requester:       q.requesterOf(doc),
		PreviewLocation: previewLocation,
	}
	if doc.LegalName != "" {
		query.Company = &requester.Company{Identifier: doc.Subject.Subject, LegalName: doc.LegalName}
	}
	if previewLocation != "" {
		// The first request is send 1, the second send 2; each later one
		// follows a citizen who came back before deciding.
		query.PreviewRound = max(0, doc.Lifecycle.Sends-2)
	}
	_, err := q.transport.Send(ctx, query)
	switch {
	case err == nil, errors.Is(err, requester.ErrQueued):
		// Queued messages are sent by the requester's Run; either way the
		// provider has it or will: the request waits for the answer.
		return q.advance(ctx, rec, doc, func(d *requestDoc) (lifecycle.Event, string, bool) {
			st := d.Lifecycle.State
			return lifecycle.Event{Kind: lifecycle.QuerySent}, "", st == lifecycle.Ready || st == lifecycle.Approved
		})
	default:
		code := CodeNotSent
		var e *as4.Error
		if errors.As(err, &e) && e.Code != "" {
			code = e.Code
		}
		q.log.Warn("sending the evidence request failed", "request", doc.Facts.ID, "err", err)
		return q.advance(ctx, rec, doc, func(*requestDoc) (lifecycle.Event, string, bool) {
			return lifecycle.Event{Kind: lifecycle.ProviderError, Code: code}, err.Error(), true
		})
	}
}

// requesterOf is the authority a QueryRequest names: ours, with the
// name the network gives it or else the catalogue's.
func (q *Requests) requesterOf(doc *requestDoc) requester.Authority {
	a := q.authority
	if a.Name == "" {
		a.Name = doc.Requester
	}
	return a
}

// advance applies the event decide picks to the stored request, reading it
// again and retrying when someone else changed it meanwhile (an answer can
// overtake the acknowledgement of its request). decide returns false to
// apply nothing. rec and doc end up as stored.
func (q *Requests) advance(ctx context.Context, rec *store.RequestRecord, doc *requestDoc, decide func(*requestDoc) (lifecycle.Event, string, bool)) ([]lifecycle.Effect, error) {
	var effects []lifecycle.Effect
	first := true
	err := retryOnConflict(func() error {
		if !first {
			fresh, freshDoc, err := q.loadAny(ctx, rec.ID)
			if err != nil {
				return err
			}
			*rec, *doc = *fresh, *freshDoc
		}
		first = false
		e, detail, ok := decide(doc)
		if !ok {
			effects = nil
			return nil
		}
		var err error
		effects, err = q.apply(ctx, serviceActor, rec, doc, e, detail)
		return err
	})
	return effects, err
}

// OnAnswer takes a provider's answer (requester.Config.OnAnswer): a
// preview to decide, evidence, or an error. An error return makes the
// provider send the answer again later.
func (q *Requests) OnAnswer(ctx context.Context, a requester.Answer) error {
	rec, doc, err := q.loadAny(ctx, a.ExchangeID)
	if err != nil {
		return fmt.Errorf("answer %s for exchange %q: %w", a.MessageID, a.ExchangeID, err)
	}
	if repeatedPreviewAnswer(doc, a) {
		q.log.Info("a repeated answer to the first request asks for the preview again; ignored", "request", rec.ID, "answer", a.MessageID)
		return nil
	}
	// The answer proves the request arrived, even if its acknowledgement
	// has not been recorded yet.
	if _, err := q.advance(ctx, rec, doc, func(d *requestDoc) (lifecycle.Event, string, bool) {
		st := d.Lifecycle.State
		return lifecycle.Event{Kind: lifecycle.QuerySent}, "", st == lifecycle.Ready || st == lifecycle.Approved
	}); err != nil {
		return err
	}
	var event lifecycle.Event
	var detail string
	var refused error
	switch m := a.Message.(type) {
	case nil:
		if a.Refused == nil {
			return fmt.Errorf("answer %s: no message", a.MessageID)
		}
		// the answer broke an OOTS rule and the requester refused it: an
		// invalid answer (EDM:ERR:0003's meaning), the rule in the detail
		event = lifecycle.Event{Kind: lifecycle.ProviderError, Code: string(edm.CodeInvalidRequest)}
		detail = "the provider's answer was refused: " + a.Refused.Error()
	case *edm.ExceptionResponse:
		if m.PreviewRequired() {
			event = lifecycle.Event{Kind: lifecycle.PreviewRequested, PreviewLocation: m.Exception.PreviewLocation}
			break
		}
		event, detail = lifecycle.Event{Kind: lifecycle.ProviderError, Code: string(m.Exception.Code)}, m.Exception.Message
	case *edm.QueryResponse:
		if tooLarge := q.oversize(a); tooLarge != "" {
			// A policy, not a failure: the request ends with the reason and
			// the provider gets an ebMS error, not a reason to send again.
			event, detail = lifecycle.Event{Kind: lifecycle.ProviderError, Code: CodeEvidenceTooLarge}, tooLarge
			refused = fmt.Errorf("%w: %s", requester.ErrRefused, tooLarge)
			break
		}
		if err := q.keepEvidence(ctx, doc, a); err != nil {
			return err
		}
		event = lifecycle.Event{Kind: lifecycle.EvidenceDelivered}
	default:
		return fmt.Errorf("answer %s: unexpected message %T", a.MessageID, a.Message)
	}
	effects, err := q.advance(ctx, rec, doc, func(d *requestDoc) (lifecycle.Event, string, bool) {
		if event.Kind == lifecycle.PreviewRequested {
			if repeatedPreviewAnswer(d, a) {
				return event, "", false // a repeat that raced the first
			}
			if d.Lifecycle.PreviewLocation == "" {
				d.PreviewAskedBy = a.RefToMessageID
			}
		}
		return event, detail, true
	})
	if err != nil {
		var te *lifecycle.TransitionError
		if errors.As(err, &te) {
			q.log.Warn("answer does not fit the request's state; ignored", "request", rec.ID, "answer", a.MessageID, "err", err)
			return nil // a late or repeated answer; retrying would not help
		}
		return err
	}
	q.carryOut(ctx, rec, doc, effects)
	return refused
}

// repeatedPreviewAnswer reports whether a asks for the preview that doc
// already waits for or had, in answer to the same request as the first
// time: the provider sent its answer to the first request again (after
// a crash), which proves nothing about the second request.
func repeatedPreviewAnswer(doc *requestDoc, a requester.Answer) bool {
	m, ok := a.Message.(*edm.ExceptionResponse)
	return ok && m.PreviewRequired() && doc.Lifecycle.PreviewLocation != "" && a.RefToMessageID == doc.PreviewAskedBy
}

// CodeEvidenceTooLarge is the error code of a request whose evidence is
// larger than RequestsConfig.MaxEvidenceSize: the ebMS error the provider
// gets (DeliveryFailure); the request's problem says why.
const CodeEvidenceTooLarge = "EBMS:0202"

// oversize says why the answer's documents are over the size policy, or
// "" when they are not.
func (q *Requests) oversize(a requester.Answer) string {
	if q.maxEvidence <= 0 {
		return ""
	}
	var total int64
	for _, att := range a.Attachments {
		total += att.Size
	}
	if total <= q.maxEvidence {
		return ""
	}
	return fmt.Sprintf("the evidence is %d bytes, more than the %d bytes this service accepts", total, q.maxEvidence)
}

// keepEvidence streams the answer's documents into the store, lists them
// on the request and removes the requester's files.
func (q *Requests) keepEvidence(ctx context.Context, doc *requestDoc, a requester.Answer) error {
	doc.Facts.Evidence = nil
	for i, att := range a.Attachments {
		f, err := os.Open(att.Path)
		if err != nil {
			return fmt.Errorf("reading evidence %s: %w", att.ContentID, err)
		}
		err = q.store.PutEvidenceFrom(ctx, store.EvidenceDoc{RequestID: doc.Facts.ID, Index: i, ContentType: att.ContentType}, f)
		f.Close()
		if err != nil {
			return err
		}
		sum := fmt.Sprintf("%x", att.SHA256)
		doc.Facts.Evidence = append(doc.Facts.Evidence, storedFile{Index: i, ContentType: att.ContentType, Size: att.Size, SHA256: sum})
	}
	for _, att := range a.Attachments {
		if err := os.Remove(att.Path); err != nil {
			q.log.Warn("removing a received evidence file", "path", att.Path, "err", err)
		}
	}
	return nil
}

// Evidence opens delivered evidence document n of request id for who:
// its owner or representative, or a clerk of the institution the evidence
// was sent to; seekable for Range requests (RecordDownload puts each
// download in the owner's ledger, the clerk's too). Close the reader.
func (q *Requests) Evidence(ctx context.Context, who Principal, id string, n int) (*store.EvidenceDoc, io.ReadSeekCloser, error) {
	_, doc, err := q.loadAs(ctx, who, id, true)
	if err != nil {
		return nil, nil, err
	}
	if n >= len(doc.Facts.Evidence) {
		return nil, nil, fmt.Errorf("%w: %s has no evidence document %d", ErrNotYours, id, n)
	}
	return q.store.OpenEvidence(ctx, id, n)
}

// RecordDownload puts who's download of a document of request id in the
// ledger; call it once per download (see countsAsDownload).
func (q *Requests) RecordDownload(ctx context.Context, who Principal, id string) error {
	_, doc, err := q.loadAs(ctx, who, id, true)
	if err != nil {
		return err
	}
	_, err = q.ledger.Append(ctx, doc.ledgerRecord(who, "evidence_downloaded"))
	return err
}

// Documents lists who's documents, newest first, with the request each
// came with: the evidence of delivered requests and the result documents
// clerks attached; a clerk's list is their own too.
func (q *Requests) Documents(ctx context.Context, who Principal) ([]api.Document, error) {
	recs, err := q.requestsOf(ctx, who)
	if err != nil {
		return nil, err
	}
	out := []api.Document{}
	for _, rec := range recs {
		doc, err := decodeDoc(&rec)
		if err != nil {
			return nil, err
		}
		v := doc.Facts
		forID, forName := madeFor(who, &rec, doc)
		for _, f := range v.Evidence {
			d := api.Document{RequestID: v.ID, ServiceID: v.ServiceID, File: f.toAPI(), For: forID, ForName: forName}
			switch {
			case f.Issuer != nil: // a clerk's result: evidence of nothing else
				d.Issuer, d.Title, d.DeliveredAt = f.Issuer.toCatalogue(), map[string]string{"EN": f.Title}, f.IssuedAt
				d.Provider, d.ProviderNames = d.Issuer.Name.In("en"), upperKeys(f.Issuer.Name)
			case rec.State == string(lifecycle.Delivered):
				d.Requirement, d.Country, d.DeliveredAt = v.Requirement, v.Country, v.UpdatedAt
				if v.Provider != nil {
					d.Provider, d.ProviderNames = v.Provider.Name, v.Provider.Names
				}
				if v.EvidenceType != nil {
					d.Title = v.EvidenceType.Title
				}
			default:
				continue
			}
			out = append(out, d)
		}
	}
	slices.SortStableFunc(out, func(a, b api.Document) int { return b.DeliveredAt.Compare(a.DeliveredAt) })
	return out, nil
}
