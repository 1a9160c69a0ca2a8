package exchange

import (
	"context"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/edm"
	"github.com/vienreiz/vienreiz/oots/exchange/lifecycle"
	"github.com/vienreiz/vienreiz/oots/requester"
)

// TestRepeatedPreviewAnswerToTheFirstRequestIsIgnored: the provider sends
// its answer to the first request (preview required) again after a crash,
// when the citizen has already approved the preview and the second
// request is out. The request must not go back to preview_required (the
// kill -9 loop saw it stranded there, its preview decided at the
// provider); the same preview asked for in answer to the second request
// (a citizen back from the preview space before deciding) still does.
func TestRepeatedPreviewAnswerToTheFirstRequestIsIgnored(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	q, who, id := explicitRequestStored(t, &now, &acceptingTransport{})
	const location = "https://preview.example/p/1"
	preview := func(ref string) requester.Answer {
		return requester.Answer{MessageID: "answer-to-" + ref, RefToMessageID: ref, ExchangeID: id,
			Message: &edm.ExceptionResponse{Exception: edm.Exception{Code: edm.CodePreviewRequired, PreviewLocation: location}}}
	}
	if err := q.OnAnswer(ctx, preview("first")); err != nil {
		t.Fatal(err)
	}
	rec, doc, err := q.load(ctx, who, id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := q.apply(ctx, who, rec, doc, lifecycle.Event{Kind: lifecycle.PreviewApproved}, ""); err != nil {
		t.Fatal(err)
	}
	if err := q.OnAnswer(ctx, preview("first")); err != nil {
		t.Fatal(err)
	}
	if r, _ := q.Get(ctx, who, id); r.State != "approved" {
		t.Fatalf("after the repeated first answer the request is %s, want approved", r.State)
	}
	if err := q.OnAnswer(ctx, preview("second")); err != nil {
		t.Fatal(err)
	}
	if r, _ := q.Get(ctx, who, id); r.State != "preview_required" {
		t.Fatalf("after the second request's answer asking for the same preview the request is %s, want preview_required", r.State)
	}
}
