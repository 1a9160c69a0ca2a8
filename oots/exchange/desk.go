package exchange

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/exchange/ledger"
	"github.com/vienreiz/vienreiz/oots/store"
)

// Errors of the clerk's actions, mapped to HTTP answers by the API.
var (
	// ErrTooLarge: a result document over api.MaxResultSize (413).
	ErrTooLarge = errors.New("document too large")
	// ErrUnsupportedType: a result document that is not a PDF, PNG or
	// JPEG, or whose bytes are not what its type says (415).
	ErrUnsupportedType = errors.New("unsupported document type")
	// ErrStillOpen: the application's evidence exchange has not ended yet
	// (409).
	ErrStillOpen = errors.New("the evidence exchange is still under way")
)

// AskEvidence lets a clerk ask the citizen of application id for evidence
// it still lacks: a new request of the citizen, for a requirement of the
// same service, that waits for the citizen's explicit request like any
// other; nothing is fetched before it. Both the new request and the
// application show the ask with the clerk's institution and message; the
// ledger records who asked. It returns the new request.
func (q *Requests) AskEvidence(ctx context.Context, who Principal, id string, in api.EvidenceAsk) (*api.Request, error) {
	if !who.IsClerk() {
		return nil, fmt.Errorf("%w: only a clerk asks for evidence", ErrForbidden)
	}
	msg, err := clerkMessage(in.Message)
	if err != nil {
		return nil, err
	}
	rec, app, err := q.loadClerk(ctx, who, id)
	if err != nil {
		return nil, err
	}
	svc, err := q.checkNew(ctx, api.NewRequest{ServiceID: rec.ServiceID, Requirement: in.Requirement, Country: in.Country})
	if err != nil {
		return nil, err
	}
	institution := svc.Provider
	asked, err := q.start(ctx, newRequestID(), app.Subject, rec.Owner, svc, api.NewRequest{ServiceID: svc.ID, Requirement: in.Requirement, Country: in.Country},
		func(doc *requestDoc) (store.TimelineEntry, []ledger.Record) {
			doc.Facts.AskedBy, doc.Facts.ForApplication = storedInstitutionOf(&institution), id
			// A company's ask is about the company (its LegalPerson) and
			// made under the mandate of the representative who applied:
			// they confirm it, as nobody signs in as a company. A person
			// confirms their own.
			if app.LegalName != "" {
				doc.LegalName, doc.Representative, doc.MandateID = app.LegalName, app.Representative, app.MandateID
			}
			return doc.step(api.EventEvidenceAsked, msg), []ledger.Record{{
				Actor: who.Subject, OnBehalfOf: rec.Owner, Action: api.EventEvidenceAsked,
				What: in.Requirement, LegalBasis: doc.Facts.LegalBasis, RequestID: doc.Facts.ID,
			}}
		})
	if err != nil {
		return nil, err
	}
	// The application's own timeline says so too; the ask stands if this
	// fails (the citizen has it), so only log.
	if _, err := q.clerkStep(ctx, who, id, func(_ *store.RequestRecord, doc *requestDoc) (store.TimelineEntry, store.Effects, error) {
		return doc.note(api.EventEvidenceAsked, msg, q.now().UTC()), store.Effects{}, nil
	}); err != nil {
		q.log.Error("the ask for evidence is not on the application's timeline", "application", id, "request", asked.ID, "err", err)
	}
	return asked, nil
}

// AttachResult lets a clerk attach the result document of application id
// (the decision, a certificate): a PDF, PNG or JPEG of at most
// api.MaxResultSize bytes whose content is what contentType says. The
// citizen receives it in the wallet with the institution as issuer. It is
// refused while the evidence exchange is still under way.
func (q *Requests) AttachResult(ctx context.Context, who Principal, id, title, contentType string, body io.Reader) (*api.Request, error) {
	if !who.IsClerk() {
		return nil, fmt.Errorf("%w: only a clerk attaches result documents", ErrForbidden)
	}
	title = strings.TrimSpace(title)
	if title == "" || len(title) > api.MaxResultTitle {
		return nil, fmt.Errorf("%w: the document needs a title of 1 to %d bytes", ErrInvalid, api.MaxResultTitle)
	}
	if err := ledger.CheckField("the title", title, false); err != nil {
		return nil, fmt.Errorf("%w: %s", ErrInvalid, strings.TrimPrefix(err.Error(), "ledger: "))
	}
	media, _, err := mime.ParseMediaType(contentType)
	if err != nil || !api.ResultType(media) {
		return nil, fmt.Errorf("%w: %q; a result document is a PDF, PNG or JPEG (Content-Type application/pdf, image/png or image/jpeg)", ErrUnsupportedType, contentType)
	}
	if _, _, err := q.loadClerk(ctx, who, id); err != nil {
		return nil, err // before reading the body: nobody else learns more
	}
	data, err := io.ReadAll(io.LimitReader(body, api.MaxResultSize+1))
	switch {
	case err != nil:
		return nil, fmt.Errorf("%w: the document could not be read: %v", ErrInvalid, err)
	case len(data) == 0:
		return nil, fmt.Errorf("%w: the document is empty", ErrInvalid)
	case len(data) > api.MaxResultSize:
		return nil, fmt.Errorf("%w: a result document is at most %d MiB", ErrTooLarge, api.MaxResultSize>>20)
	}
	if sniffed, _, _ := mime.ParseMediaType(http.DetectContentType(data)); sniffed != media {
		return nil, fmt.Errorf("%w: the document is not a %s as its Content-Type says (its content looks like %s)", ErrUnsupportedType, media, sniffed)
	}
	blob, err := q.store.KeepBlob(ctx, bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	return q.clerkStep(ctx, who, id, func(rec *store.RequestRecord, doc *requestDoc) (store.TimelineEntry, store.Effects, error) {
		if !doc.Lifecycle.State.Terminal() {
			return store.TimelineEntry{}, store.Effects{}, fmt.Errorf("%w (the request is %s): attach the result when it has ended", ErrStillOpen, doc.Lifecycle.State)
		}
		now := q.now().UTC()
		file := storedFile{
			Index: len(doc.Facts.Evidence), ContentType: media, Size: blob.Size, SHA256: blob.SHA256,
			Title: title, Issuer: storedInstitutionOf(q.institution(ctx, rec.ServiceID)), IssuedAt: now,
		}
		doc.Facts.Evidence = append(doc.Facts.Evidence, file)
		attached := ledger.Record{
			Actor: who.Subject, OnBehalfOf: rec.Owner, Action: api.EventResultAttached,
			What: title + " (sha256 " + blob.SHA256 + ")", LegalBasis: doc.Facts.LegalBasis, RequestID: id,
		}
		return doc.note(api.EventResultAttached, title, now), store.Effects{
			Ledger:   []ledger.Record{attached},
			Evidence: []store.EvidenceRow{{Index: file.Index, ContentType: media, Blob: blob}},
		}, nil
	})
}

func (a *restAPI) askEvidence(w http.ResponseWriter, r *http.Request, who Principal) {
	var in api.EvidenceAsk
	if !readJSON(w, r, &in) {
		return
	}
	out, err := a.reqs.AskEvidence(r.Context(), who, r.PathValue("id"), in)
	a.answer(w, r, http.StatusCreated, out, err)
}

func (a *restAPI) attachResult(w http.ResponseWriter, r *http.Request, who Principal) {
	out, err := a.reqs.AttachResult(r.Context(), who, r.PathValue("id"), r.URL.Query().Get("title"), r.Header.Get("Content-Type"), r.Body)
	a.answer(w, r, http.StatusOK, out, err)
}

// Trail returns the ledger trail of request id: every ledger entry about
// it, oldest first, for its owner or a clerk of its institution.
func (q *Requests) Trail(ctx context.Context, who Principal, id string) (*api.LedgerTrail, error) {
	_, doc, err := q.loadAs(ctx, who, id, true)
	if err != nil {
		return nil, err
	}
	es, err := q.ledger.Trail(ctx, doc.Subject.Subject, id) // the chain of the person the request is for
	if err != nil {
		return nil, err
	}
	out := &api.LedgerTrail{RequestID: id, Entries: make([]api.LedgerEntry, 0, len(es))}
	names := map[string]string{} // of the actors with a role
	for _, e := range es {
		name, known := names[e.Actor]
		if !known {
			if a, err := q.store.Role(ctx, e.Actor); err == nil {
				name = a.Name
			}
			names[e.Actor] = name
		}
		out.Entries = append(out.Entries, api.LedgerEntry{Seq: e.Seq, Time: e.Time, Actor: e.Actor, ActorName: name, OnBehalfOf: e.OnBehalfOf, Action: e.Action, What: e.What, Hash: e.Hash.String()})
	}
	return out, nil
}

func (a *restAPI) requestTrail(w http.ResponseWriter, r *http.Request, who Principal) {
	out, err := a.reqs.Trail(r.Context(), who, r.PathValue("id"))
	a.answer(w, r, http.StatusOK, out, err)
}
