package exchange

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/vienreiz/vienreiz/oots/exchange/lifecycle"
	"github.com/vienreiz/vienreiz/oots/store"
)

// UnderWayError refuses a request, a retry or a clerk's ask for evidence
// that another request of the same person is under way for: the same
// service, requirement and country, under the same mandate (409
// under_way). Asked for once, evidence is fetched once.
type UnderWayError struct{ RequestID string }

func (e *UnderWayError) Error() string {
	return fmt.Sprintf("request %s for the same evidence is under way", e.RequestID)
}

// openKey names the evidence of a request owned by owner while it is
// under way, "" once it has ended or a clerk decided the application
// (store.RequestRecord.OpenKey): the next one is a new application.
func (doc *requestDoc) openKey(owner string) string {
	if lifecycle.State(doc.Facts.State).Terminal() || doc.Facts.Decision != "" {
		return ""
	}
	h := sha256.New()
	for _, part := range []string{owner, doc.MandateID, doc.Facts.ServiceID, doc.Facts.Requirement, doc.Facts.Country} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// underWayOf turns the store's refusal of a second request under way for
// the same evidence into an UnderWayError naming the first.
func (q *Requests) underWayOf(ctx context.Context, key string, err error) error {
	if !errors.Is(err, store.ErrUnderWay) {
		return err
	}
	open, ferr := q.store.OpenRequest(ctx, key)
	if ferr != nil { // it ended meanwhile
		return fmt.Errorf("%w: %w", err, ferr)
	}
	return &UnderWayError{RequestID: open.ID}
}

// BackfillOpenKeys gives the requests under way that were stored before
// open keys existed theirs (once per database).
func (q *Requests) BackfillOpenKeys(ctx context.Context) (int, error) {
	return q.store.BackfillOpenKeys(ctx, func(rec store.RequestRecord) string {
		doc, err := decodeDoc(&rec)
		if err != nil {
			q.log.Warn("open key backfill: request not read; it gets none", "request", rec.ID, "err", err)
			return ""
		}
		return doc.openKey(rec.Owner)
	})
}
