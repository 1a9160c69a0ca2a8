package exchange

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/requester"
)

// TestAnswerBeforeTheRequestsAreBuiltWaitsForThem: Start connects the
// network before it builds the requests (they need the connection); an
// answer that arrives in between is not lost or refused but waits, and
// reaches the requests once they are built. One whose sender gives up
// first ends with the sender's reason.
func TestAnswerBeforeTheRequestsAreBuiltWaitsForThem(t *testing.T) {
	relay := newAnswerRelay()
	got := make(chan error, 1)
	go func() {
		got <- relay.OnAnswer(context.Background(), requester.Answer{MessageID: "m-1", ExchangeID: "no-such-exchange"})
	}()
	select {
	case err := <-got:
		t.Fatalf("the answer was handled before the requests were built: %v", err)
	case <-time.After(20 * time.Millisecond):
	}
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	relay.relayTo(newTestRequests(t, &now))
	// The requests look the exchange up: they say they do not know it.
	if err := <-got; err == nil || !strings.Contains(err.Error(), `exchange "no-such-exchange"`) {
		t.Fatalf("answer after the requests were built: %v; want the requests' error about its exchange", err)
	}

	waiting := newAnswerRelay()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := waiting.OnAnswer(ctx, requester.Answer{MessageID: "m-2"}); !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "m-2") {
		t.Fatalf("an answer whose sender gave up: %v; want its id and context.Canceled", err)
	}
}
