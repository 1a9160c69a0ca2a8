package exchange

import (
	"context"
	"slices"
	"strings"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/catalogue"
	"github.com/vienreiz/vienreiz/oots/store"
)

// offerStep is the offered step (api.EventOffered) of a request whose
// evidence was just delivered: the other services the evidence also
// serves, once-only in practice (principle P10, offers); false when no
// other service needs the same requirement. A catalogue that cannot be
// read costs the offer, not the delivery.
func (q *Requests) offerStep(ctx context.Context, doc *requestDoc) (store.TimelineEntry, bool) {
	services, err := q.store.SearchServices(ctx, catalogue.Query{})
	if err != nil {
		q.log.Warn("offering the other services the evidence serves", "request", doc.Facts.ID, "err", err)
		return store.TimelineEntry{}, false
	}
	var ids []string
	for _, s := range services {
		if s.ID != doc.Facts.ServiceID && slices.ContainsFunc(s.Evidence, func(e catalogue.Evidence) bool { return e.Requirement == doc.Facts.Requirement }) {
			ids = append(ids, s.ID)
		}
	}
	if len(ids) == 0 {
		return store.TimelineEntry{}, false
	}
	return doc.step(api.EventOffered, strings.Join(ids, ",")), true
}
