package exchange

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/google/uuid"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/requester"
	"github.com/vienreiz/vienreiz/oots/store"
)

// ErrKeyReused refuses a POST whose key made a request for another
// service, evidence, country or mandate (409).
var ErrKeyReused = errors.New("the key made another request")

// validKey is the form of api.NewRequest.Key.
var validKey = regexp.MustCompile(`^[A-Za-z0-9_-]{8,64}$`).MatchString

// requestKeys is the name space of keyed requests' ids.
var requestKeys = uuid.MustParse("5b0c3e52-0d7e-4f5c-9a8e-6c1d2f3b4a59")

// requestID is the id of a new request (the ExchangeId of its messages):
// random, or for a keyed one the same for every POST of the caller's key,
// so that a POST repeated after its answer was lost finds the request
// the first one made.
func requestID(caller string, in api.NewRequest) string {
	if in.Key == "" {
		return newRequestID()
	}
	return uuid.NewSHA1(requestKeys, []byte(caller+"\x00"+in.Key)).String()
}

// newRequestID is a random request id.
func newRequestID() string { return requester.NewExchangeID() }

// madeBefore is the request an earlier POST of the caller's key made, nil
// when none did; ErrKeyReused when it made one for other input.
func (q *Requests) madeBefore(ctx context.Context, who Principal, in api.NewRequest) (*api.Request, error) {
	id := requestID(who.Subject, in)
	rec, doc, err := q.loadAny(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if rec.ServiceID != in.ServiceID || doc.Facts.Requirement != in.Requirement || doc.Facts.Country != in.Country || doc.MandateID != in.MandateID {
		return nil, fmt.Errorf("%w: key %q", ErrKeyReused, in.Key)
	}
	return q.Get(ctx, who, id)
}
