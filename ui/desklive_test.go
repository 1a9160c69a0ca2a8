package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/api"
)

// TestTheDeskFollowsItsApplications: the desk was not live (the last
// sessions' notes): the citizen gave his explicit request while the clerk
// had the application open, and the page and the queue kept the old state
// until Reload. An event of the clerk's stream about an application (the
// service sends a clerk those of the institution's applications) reads the
// queue again and redraws the application's page; a page with a message
// the clerk is writing is not redrawn under them but says it changed, with
// a way to see it as it is now.
func TestTheDeskFollowsItsApplications(t *testing.T) {
	w, s, citizen, _ := deskApp(t)
	ctx := context.Background()
	req := appliesForBirth(t, citizen)
	desk := openApplication(t, w)
	eventually(t, "the application's page", func() bool { return desk.nav.Depth() == 1 })
	if !strings.Contains(labels(w.Content()), "Waiting for the applicant's explicit request") {
		t.Fatalf("the page before the citizen's step:\n%s", labels(w.Content()))
	}

	if _, err := citizen.GiveExplicitRequest(ctx, req.ID); err != nil {
		t.Fatal(err)
	}
	s.Inbox.Take(api.Event{RequestID: req.ID, Event: "explicit_request_given", Desk: true})
	eventually(t, "the page redrawn", func() bool {
		return !strings.Contains(labels(w.Content()), "Waiting for the applicant's explicit request")
	})

	// The clerk is writing a message: the page stays, and says it changed.
	for _, e := range desk.drafts {
		e.SetText("We need the birth certificate of your father as well.")
		break
	}
	before := desk.nav.Top()
	s.Inbox.Take(api.Event{RequestID: req.ID, Event: "explicit_request_given", Desk: true})
	if desk.nav.Top() != before {
		t.Fatal("the page was redrawn under the clerk's unsent message")
	}
	if !desk.stale.Visible() || !strings.Contains(labels(w.Content()), "changed since you opened it") {
		t.Fatalf("the page does not say the application changed:\n%s", labels(w.Content()))
	}
	tapButton(t, w, "Show it as it is now")
	eventually(t, "the page read again", func() bool { return desk.nav.Top() != before })
}
