package app

import (
	"slices"

	"fyne.io/fyne/v2/lang"

	"github.com/vienreiz/vienreiz/api"
)

// Step is what a request asks of its owner now; the request page draws
// one card per step.
type Step string

// The steps of a request as its page shows them.
const (
	// StepNone: nothing is asked (the request ended without evidence).
	StepNone Step = ""
	// StepAnswer: answer the directory's questions.
	StepAnswer Step = "answer"
	// StepExplicitRequest: confirm who asks what from whom.
	StepExplicitRequest Step = "explicit_request"
	// StepWait: the provider's turn; the page follows the request.
	StepWait Step = "wait"
	// StepPreviewInBrowser: look at the evidence on the provider's site.
	StepPreviewInBrowser Step = "preview_in_browser"
	// StepOpenPreview: fetch the evidence to look at it here.
	StepOpenPreview Step = "open_preview"
	// StepDecide: the evidence is shown; approve or refuse it.
	StepDecide Step = "decide"
	// StepRetry: the look-up failed before anything was sent; try again.
	StepRetry Step = "retry"
	// StepDelivered: the evidence came.
	StepDelivered Step = "delivered"
	// StepAskAgain: the request ended without evidence after its
	// explicit request (refused, its preview expired, or the provider
	// could not give it); the same evidence may be asked again, from the
	// same country or another.
	StepAskAgain Step = "ask_again"
)

// RequestView is what a request page offers: the step now and the
// actions allowed. It is the one place that reads the request's state.
type RequestView struct {
	Step Step
	// CanCancel: the request is still open; CanArchive: it ended and is
	// not archived yet.
	CanCancel  bool
	CanArchive bool
	// CanGiveFeedback: the application finished and its owner has not
	// rated it yet (P14).
	CanGiveFeedback bool
	// AskElsewhere (with StepRetry): the look-up found that the country
	// asked holds no evidence of the kind, so another country is the way
	// on; looking up the same one again finds the same.
	AskElsewhere bool
	// ChangeAnswers (with StepRetry): the look-up found no provider for
	// the answers to the directory's questions, or refused an answer;
	// other answers may find one.
	ChangeAnswers bool
}

// YourTurn reports whether the step is the request owner's to take (the
// request's next date is then theirs to keep, not the provider's).
func (v RequestView) YourTurn() bool {
	switch v.Step {
	case StepAnswer, StepExplicitRequest, StepPreviewInBrowser, StepOpenPreview, StepDecide:
		return true
	}
	return false
}

// notHeldThere are the look-up answers that say the country asked holds
// no such evidence: the Evidence Broker knows no evidence type of it
// there, or the Data Service Directory names no provider there.
var notHeldThere = []string{"EB:ERR:0001", "DSD:ERR:0001"}

// answerRefused is the Data Service Directory's answer to a value it
// does not take (a region code that is not one, say).
const answerRefused = "DSD:ERR:0006"

// NoneForTheAnswers reports whether the Data Service Directory named no
// provider for the answers the person gave its questions: another answer
// may find one where the country has providers for some regions only.
func NoneForTheAnswers(req *api.Request) bool {
	return req.ErrorCode == "DSD:ERR:0001" && len(req.Answers) > 0
}

// openStates are the request states in which the request goes on.
var openStates = []string{"draft", "needs_attributes", "ready", "sent", "preview_required", "approved"}

// ViewOf is the page's view of req.
func ViewOf(req *api.Request) RequestView {
	v := RequestView{CanCancel: StillOpen(req)}
	v.CanArchive = !v.CanCancel && !req.Archived
	v.CanGiveFeedback = !v.CanCancel && req.FeedbackRating == 0
	given := hasEvent(req, explicitRequestGiven)
	switch {
	case req.State == "needs_attributes":
		v.Step = StepAnswer
	case req.State == "ready" && !given:
		v.Step = StepExplicitRequest
	case req.State == "ready", req.State == "sent", req.State == "approved":
		v.Step = StepWait
	case req.State == "preview_required" && req.PreviewURL != "":
		v.Step = StepPreviewInBrowser
	case req.State == "preview_required" && req.Preview == nil:
		v.Step = StepOpenPreview
	case req.State == "preview_required":
		v.Step = StepDecide
	case req.State == "failed" && !given:
		v.Step = StepRetry
		v.AskElsewhere = slices.Contains(notHeldThere, req.ErrorCode)
		v.ChangeAnswers = len(req.Questions) > 0 && (NoneForTheAnswers(req) || req.ErrorCode == answerRefused)
	case req.State == "delivered":
		v.Step = StepDelivered
	case req.State == "refused", req.State == "expired", req.State == "failed":
		v.Step = StepAskAgain
	}
	return v
}

// StateSending is the state a request is shown in from its explicit
// request until the provider's access point takes the query: the request
// stays "ready" that long, for as long as the access point is slow or
// down, and "ready" reads as the explicit request awaited.
const StateSending = "sending"

// ShownState is the state req is shown in: its own, or StateSending.
func ShownState(req *api.Request) string {
	return shownState(req.State, hasEvent(req, explicitRequestGiven))
}

// ShownStates are the states req's timeline steps are shown in, one per
// step, as ShownState shows the request's.
func ShownStates(req *api.Request) []string {
	out := make([]string, len(req.Timeline))
	given := false
	for i, s := range req.Timeline {
		given = given || s.Event == explicitRequestGiven
		out[i] = shownState(s.State, given)
	}
	return out
}

// StateName is the name of a request's state (ShownState) as its owner
// reads it.
func StateName(state string) string { return lang.X("state."+state, state) }

// DeskStateName is the name of a request's state as a clerk reads it:
// the states in which the applicant is to act name the applicant ("Waiting
// for the applicant's explicit request"), not "your".
func DeskStateName(state string) string { return lang.X("desk_state."+state, StateName(state)) }

func shownState(state string, given bool) string {
	if state == "ready" && given {
		return StateSending
	}
	return state
}

const explicitRequestGiven = "explicit_request_given"

// EventNames are the names of a timeline's events (or a ledger trail's
// actions), in order, as a person reads them: the query sent after the
// preview was approved asks for the approved evidence, and is not
// "Request sent" a second time.
func EventNames(events []string) []string {
	out := make([]string, len(events))
	approved := false
	for i, e := range events {
		key := "event." + e
		if e == "query_sent" && approved {
			key = "event.query_sent_approved"
		}
		approved = approved || e == "preview_approved"
		out[i] = lang.X(key, e)
	}
	return out
}

// EndedWithoutEvidence reports whether req ended (refused, failed, expired
// or cancelled) with no evidence delivered: none will come for it.
func EndedWithoutEvidence(req *api.Request) bool {
	return !StillOpen(req) && req.State != "delivered"
}

// StillOpen reports whether req has not ended: it may be withdrawn, and a
// service page leads to it rather than asking again.
func StillOpen(req *api.Request) bool { return slices.Contains(openStates, req.State) }

// EndedWithout is EndedWithoutEvidence but for a request its owner
// withdrew: it failed, was refused or expired, which leaves the person
// something to do.
func EndedWithout(req *api.Request) bool {
	return EndedWithoutEvidence(req) && req.State != "cancelled"
}

func hasEvent(req *api.Request, event string) bool {
	return slices.ContainsFunc(req.Timeline, func(s api.Step) bool { return s.Event == event })
}
