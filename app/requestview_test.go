package app

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/vienreiz/vienreiz/api"
)

// TestViewOfDecidesStepAndActions: the one place that reads a request's
// state gives each page its step and the actions it allows.
func TestViewOfDecidesStepAndActions(t *testing.T) {
	given := []api.Step{{Event: "created"}, {Event: "explicit_request_given"}}
	region := []api.Question{{Name: "q", Values: []string{"DE2", "DE3"}}}
	for name, c := range map[string]struct {
		req  api.Request
		want RequestView
	}{
		"questions":            {api.Request{State: "needs_attributes"}, RequestView{Step: StepAnswer, CanCancel: true}},
		"explicit request":     {api.Request{State: "ready"}, RequestView{Step: StepExplicitRequest, CanCancel: true}},
		"sent":                 {api.Request{State: "sent", Timeline: given}, RequestView{Step: StepWait, CanCancel: true}},
		"preview in browser":   {api.Request{State: "preview_required", PreviewURL: "https://p/x"}, RequestView{Step: StepPreviewInBrowser, CanCancel: true}},
		"preview to fetch":     {api.Request{State: "preview_required"}, RequestView{Step: StepOpenPreview, CanCancel: true}},
		"preview shown":        {api.Request{State: "preview_required", Preview: &api.Preview{}}, RequestView{Step: StepDecide, CanCancel: true}},
		"failed look-up":       {api.Request{State: "failed"}, RequestView{Step: StepRetry, CanArchive: true, CanGiveFeedback: true}},
		"not held there":       {api.Request{State: "failed", ErrorCode: "EB:ERR:0001"}, RequestView{Step: StepRetry, AskElsewhere: true, CanArchive: true, CanGiveFeedback: true}},
		"no provider there":    {api.Request{State: "failed", ErrorCode: "DSD:ERR:0001"}, RequestView{Step: StepRetry, AskElsewhere: true, CanArchive: true, CanGiveFeedback: true}},
		"none for the answers": {api.Request{State: "failed", ErrorCode: "DSD:ERR:0001", Questions: region, Answers: map[string]string{"q": "DE2"}}, RequestView{Step: StepRetry, AskElsewhere: true, ChangeAnswers: true, CanArchive: true, CanGiveFeedback: true}},
		"answer refused":       {api.Request{State: "failed", ErrorCode: "DSD:ERR:0006", Questions: region, Answers: map[string]string{"q": "X"}}, RequestView{Step: StepRetry, ChangeAnswers: true, CanArchive: true, CanGiveFeedback: true}},
		"down after answers":   {api.Request{State: "failed", ErrorCode: "DSD:ERR:0004", Questions: region, Answers: map[string]string{"q": "DE2"}}, RequestView{Step: StepRetry, CanArchive: true, CanGiveFeedback: true}},
		"failed after sending": {api.Request{State: "failed", Timeline: given}, RequestView{Step: StepAskAgain, CanArchive: true, CanGiveFeedback: true}},
		"refused":              {api.Request{State: "refused", Timeline: given}, RequestView{Step: StepAskAgain, CanArchive: true, CanGiveFeedback: true}},
		"expired":              {api.Request{State: "expired", Timeline: given}, RequestView{Step: StepAskAgain, CanArchive: true, CanGiveFeedback: true}},
		"withdrawn":            {api.Request{State: "cancelled", Timeline: given}, RequestView{CanArchive: true, CanGiveFeedback: true}},
		"delivered":            {api.Request{State: "delivered", Timeline: given}, RequestView{Step: StepDelivered, CanArchive: true, CanGiveFeedback: true}},
		"rated":                {api.Request{State: "delivered", Timeline: given, FeedbackRating: 4}, RequestView{Step: StepDelivered, CanArchive: true}},
		"archived":             {api.Request{State: "refused", Archived: true}, RequestView{Step: StepAskAgain, CanGiveFeedback: true}},
	} {
		if got := ViewOf(&c.req); got != c.want {
			t.Errorf("%s: %+v, want %+v", name, got, c.want)
		}
	}
}

// followedService answers Request with the request as it stands now.
type followedService struct {
	fakeService
	state string
}

func (f *followedService) Request(_ context.Context, id string) (*api.Request, error) {
	return &api.Request{ID: id, State: f.state}, nil
}

// TestAFollowedRequestIsHandedOnByEvents (one update path): a page
// following a request hears of it when the event stream says it changed,
// for that request only, and no more once it stops.
func TestAFollowedRequestIsHandedOnByEvents(t *testing.T) {
	test.NewTempApp(t)
	svc := &followedService{state: "sent"}
	s := testSession(t, svc)
	s.Background = func(task func()) { task() }
	var got []string
	stop := s.Requests.Follow("r1", func(r *api.Request) { got = append(got, r.ID+":"+r.State) })
	svc.state = "preview_required"
	s.Inbox.Take(api.Event{RequestID: "r2", Event: "query_sent", State: "sent"})
	s.Inbox.Take(api.Event{RequestID: "r1", Event: "preview_requested", State: "preview_required"})
	stop()
	s.Inbox.Take(api.Event{RequestID: "r1", Event: "preview_viewed", State: "preview_required"})
	if len(got) != 1 || got[0] != "r1:preview_required" {
		t.Fatalf("the follower heard %v, want only r1:preview_required", got)
	}
}
