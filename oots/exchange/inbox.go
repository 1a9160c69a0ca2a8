package exchange

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/exchange/lifecycle"
	"github.com/vienreiz/vienreiz/oots/store"
)

// inboxEvent says of a timeline event that the owner's inbox hears of it:
// who it is from and, for an item that asks the owner to act, the request
// state it awaits.
type inboxEvent struct {
	from   string
	awaits lifecycle.State
}

// inboxEvents are the timeline events that reach the owner's inbox.
var inboxEvents = map[string]inboxEvent{
	string(lifecycle.AttributesNeeded):  {from: api.SenderService, awaits: lifecycle.NeedsAttributes},
	string(lifecycle.PreviewRequested):  {from: api.SenderProvider, awaits: lifecycle.PreviewRequired},
	string(lifecycle.EvidenceDelivered): {from: api.SenderProvider},
	string(lifecycle.ProviderError):     {from: api.SenderProvider},
	string(lifecycle.TimedOut):          {from: api.SenderService},
	api.EventOffered:                    {from: api.SenderService},
	api.EventStatusPosted:               {from: api.SenderInstitution},
	api.EventApplicationApproved:        {from: api.SenderInstitution},
	api.EventApplicationRefused:         {from: api.SenderInstitution},
	// The first step of a request a clerk asked for: the citizen is to
	// confirm it (explicit request).
	api.EventEvidenceAsked:  {from: api.SenderInstitution, awaits: lifecycle.Ready},
	api.EventResultAttached: {from: api.SenderInstitution},
}

// representativeActs are the steps a representative takes under a
// mandate that the represented person's inbox hears of, from them.
var representativeActs = map[string]bool{
	"created":                              true,
	string(lifecycle.AttributesGiven):      true,
	string(lifecycle.ExplicitRequestGiven): true,
	string(lifecycle.PreviewApproved):      true,
	string(lifecycle.PreviewRefused):       true,
	string(lifecycle.Cancel):               true,
	string(lifecycle.Retry):                true,
}

// inboxItems are the owner's inbox items of a change's timeline steps:
// what each is about and who it is from. The first step of a change a
// representative made is from them. A company's items go to the
// representative who made its request, without the steps they took:
// nobody signs in as a company.
func (q *Requests) inboxItems(ctx context.Context, rec *store.RequestRecord, doc *requestDoc, steps []store.TimelineEntry) []store.InboxItem {
	owner := applicant(rec, doc)
	var out []store.InboxItem
	for i, st := range steps {
		ev, ok := inboxEvents[st.Event]
		byRepresentative := i == 0 && doc.actedBy != nil && representativeActs[st.Event]
		if byRepresentative {
			ev, ok = inboxEvent{from: api.SenderRepresentative}, true
		}
		if !ok || (st.Event == api.EventEvidenceAsked && doc.Facts.AskedBy == nil) {
			continue // the application's note of an ask: the asked request's item tells
		}
		if byRepresentative && owner != rec.Owner {
			continue // a company's: the representative took the step and reads the inbox
		}
		id, err := uuid.NewV7() // time-ordered: the items of one change list in their order
		if err != nil {
			id = uuid.New()
		}
		it := store.InboxItem{
			ID: id.String(), Owner: owner, RequestID: doc.Facts.ID, ServiceID: doc.Facts.ServiceID,
			Requirement: doc.Facts.Requirement, Event: st.Event, State: st.State, Detail: st.Detail,
			SenderKind: ev.from, Awaits: string(ev.awaits), At: st.At,
		}
		if t := doc.Facts.EvidenceType; t != nil {
			it.Evidence = lowerKeys(t.Title)
		}
		switch {
		case byRepresentative:
			r := doc.actedBy
			name := strings.TrimSpace(r.GivenName + " " + r.FamilyName)
			if name == "" {
				name = r.Subject
			}
			it.SenderID, it.SenderNames = r.Subject, map[string]string{"en": name, "lv": name}
		case ev.from == api.SenderProvider && doc.Facts.Provider != nil:
			p := doc.Facts.Provider
			it.SenderID, it.SenderNames = p.ID, lowerKeys(p.Names)
			if len(it.SenderNames) == 0 && p.Name != "" {
				it.SenderNames = map[string]string{"en": p.Name}
			}
		case ev.from == api.SenderProvider:
			it.SenderKind = api.SenderService // the look-up failed before a provider was known
		case ev.from == api.SenderInstitution:
			if svc, err := q.store.Service(ctx, doc.Facts.ServiceID); err == nil {
				it.SenderID, it.SenderNames = svc.Provider.ID, svc.Provider.Name
			}
		}
		out = append(out, it)
	}
	return out
}

// lowerKeys copies texts keyed by language code with the codes in lower
// case (the directory writes EN, LV).
func lowerKeys(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[strings.ToLower(k)] = v
	}
	return out
}

// upperKeys copies texts keyed by language code with the codes in upper
// case, as the directory writes them.
func upperKeys(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[strings.ToUpper(k)] = v
	}
	return out
}

// Inbox returns a page of who's inbox with the unread count: the newest
// items when before is "", else the page that starts there (the Next of
// the page before; ErrInvalid for a place the inbox did not give).
func (q *Requests) Inbox(ctx context.Context, who Principal, before string) (*api.Inbox, error) {
	page, err := q.store.Inbox(ctx, who.Subject, before)
	if errors.Is(err, store.ErrBadCursor) {
		return nil, fmt.Errorf("%w: before is not the next of a page of your inbox", ErrInvalid)
	}
	if err != nil {
		return nil, err
	}
	out := &api.Inbox{Items: make([]api.InboxItem, 0, len(page.Items)), Unread: page.Unread, Next: page.Next}
	for _, it := range page.Items {
		out.Items = append(out.Items, api.InboxItem{
			ID: it.ID, RequestID: it.RequestID, ServiceID: it.ServiceID, Requirement: it.Requirement,
			Evidence: it.Evidence, Event: it.Event, State: it.State, Detail: it.Detail,
			From: api.Sender{Kind: it.SenderKind, ID: it.SenderID, Names: it.SenderNames},
			At:   it.At, Read: !it.ReadAt.IsZero(), ActionNeeded: it.Awaits != "",
		})
	}
	out.Count = len(out.Items)
	return out, nil
}

// MarkRead marks who's inbox item id read (ErrNotYours for another
// person's or an unknown one), or all of who's items when id is "".
func (q *Requests) MarkRead(ctx context.Context, who Principal, id string) (*api.InboxRead, error) {
	now := q.now().UTC()
	if id == "" {
		if _, err := q.store.MarkAllInboxRead(ctx, who.Subject, now); err != nil {
			return nil, err
		}
	} else if err := q.store.MarkInboxRead(ctx, who.Subject, id, now); errors.Is(err, store.ErrNotFound) {
		return nil, ErrNotYours
	} else if err != nil {
		return nil, err
	}
	unread, err := q.store.InboxUnread(ctx, who.Subject)
	if err != nil {
		return nil, err
	}
	return &api.InboxRead{Unread: unread}, nil
}

func (a *restAPI) listInbox(w http.ResponseWriter, r *http.Request, who Principal) {
	out, err := a.reqs.Inbox(r.Context(), who, r.URL.Query().Get("before"))
	a.answer(w, r, http.StatusOK, out, err)
}

func (a *restAPI) markInboxRead(w http.ResponseWriter, r *http.Request, who Principal) {
	out, err := a.reqs.MarkRead(r.Context(), who, r.PathValue("id"))
	a.answer(w, r, http.StatusOK, out, err)
}

// InboxEvents are the timeline events that reach a person's inbox, sorted
// (the app has a text for each).
func InboxEvents() []string {
	out := make([]string, 0, len(inboxEvents))
	for e := range inboxEvents {
		out = append(out, e)
	}
	slices.Sort(out)
	return out
}

// BackfillInbox gives requests stored before the inbox existed the items
// their timelines would have made, once per database; an item that asks
// the person to act is kept only while the request still awaits it.
func (q *Requests) BackfillInbox(ctx context.Context) (int, error) {
	return q.store.BackfillInbox(ctx, func(rec store.RequestRecord, timeline []store.TimelineEntry) []store.InboxItem {
		doc, err := decodeDoc(&rec)
		if err != nil {
			q.log.Warn("inbox backfill: request skipped", "request", rec.ID, "err", err)
			return nil
		}
		return slices.DeleteFunc(q.inboxItems(ctx, &rec, doc, timeline), func(it store.InboxItem) bool {
			return it.Awaits != "" && it.Awaits != rec.State
		})
	})
}
