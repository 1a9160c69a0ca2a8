package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/app"
	"github.com/vienreiz/vienreiz/client"
)

// creationWatched calls during before each request is created, on the
// caller's goroutine (the test's: its Background runs tasks in place).
type creationWatched struct {
	*client.Client
	during func()
}

func (c creationWatched) CreateRequest(ctx context.Context, in api.NewRequest) (*api.Request, error) {
	c.during()
	return c.Client.CreateRequest(ctx, in)
}

// TestAnActionSaysItIsWaiting: found by trying the app as Jānis on his
// phone while the exchange service did not answer. He chose Germany and
// tapped Start: the dialog closed and for 15 s nothing showed that
// anything was happening, and Request it online could be tapped again.
// While an action waits for the service, a dialog now says so over the
// window, with a progress bar and Stop waiting; stopping ends the call
// without an error and without starting anything, and a problem is shown
// once the dialog has gone.
func TestAnActionSaysItIsWaiting(t *testing.T) {
	// workingAfter is 0 in the tests (TestMain): the dialog shows at once.
	var w fyne.Window
	var shown string
	stop, down := false, false
	var stopService func()
	w, s, stopService := newAppOver(t, "en", func(c *client.Client) app.ServiceAPI {
		return creationWatched{Client: c, during: func() {
			if down {
				stopService()
			}
			top := w.Canvas().Overlays().Top()
			if top == nil {
				shown = ""
				return
			}
			shown = labels(top)
			if stop {
				for _, b := range find[*widget.Button](top) {
					if b.Text == "Stop waiting" {
						b.OnTapped()
					}
				}
			}
		}}
	})
	anims := countAnimations(t)
	sc := servicesScreen(t, w)
	start := func() {
		t.Helper()
		test.Tap(navButtons(t, w)[0]) // Services
		sc.OpenService("lv-pension-claim")
		eventually(t, "the service page", func() bool { return strings.Contains(labels(w.Content()), "Evidence needed") })
		tapButton(t, w, "Request it online")
		overlay, choice := countryDialog(t, w)
		choice.SetSelectedIndex(0)
		for _, b := range find[*widget.Button](overlay) {
			if b.Text == "Start" {
				b.OnTapped()
			}
		}
	}

	start()
	if !strings.Contains(shown, "Waiting for the exchange service") || !strings.Contains(shown, "Stop waiting") {
		t.Fatalf("while the request was being started the window showed %q, want the waiting dialog", shown)
	}
	if top := w.Canvas().Overlays().Top(); top != nil {
		t.Fatalf("a dialog stays after the request started: %q", labels(top))
	}
	if n := anims.count(); n != 0 {
		t.Fatalf("%d animations run after the dialog went (its progress bar must stop)", n)
	}
	eventually(t, "the new request's page", func() bool { return strings.Contains(labels(w.Content()), "Timeline") })
	if n := s.Requests.List.Length(); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}

	stop = true
	start()
	if top := w.Canvas().Overlays().Top(); top != nil {
		t.Fatalf("after Stop waiting the window shows %q, want nothing (no error either)", labels(top))
	}
	if n := s.Requests.List.Length(); n != 1 {
		t.Fatalf("%d requests after Stop waiting, want still 1", n)
	}

	// The problem of an action outlives the waiting dialog (Fyne's
	// hiding an overlay takes those above it along).
	stop, down = false, true
	start()
	if top := w.Canvas().Overlays().Top(); top == nil || !strings.Contains(labels(top), "cannot be reached") {
		t.Fatal("no problem shown after the service did not answer the start")
	}
}

// TestAPageFollowsItsRequestWhileItWaitsForThePerson: found by trying the
// app as Jānis with the service paused: he gave his explicit request,
// stopped waiting, and the service, resumed, carried it out; the event
// stream told the app (the inbox counted one more), but the page still
// asked for his explicit request, since a page followed its request only
// while the provider's step was next. A page now follows its request
// whatever the next step: a change made elsewhere (a change he stopped
// waiting for, another device, a clerk) redraws it.
func TestAPageFollowsItsRequestWhileItWaitsForThePerson(t *testing.T) {
	w, s := newApp(t, "en")
	req := startRequest(t, s, "lv-birth-certificate", "LV")
	test.Tap(navButtons(t, w)[TabRequests])
	find[*RequestsScreen](w.Content())[0].Open(req.ID)
	if !strings.Contains(labels(w.Content()), "I request this evidence") {
		t.Fatal("the page does not ask for the explicit request")
	}
	if _, err := s.Requests.GiveExplicitRequest(context.Background(), req.ID); err != nil {
		t.Fatal(err)
	}
	waitRequest(t, s, req.ID, "preview_required")
	s.Inbox.Take(api.Event{RequestID: req.ID, Event: "preview_requested", State: "preview_required"})
	if text := labels(w.Content()); strings.Contains(text, "I request this evidence") || !strings.Contains(text, "Show the evidence") {
		t.Fatalf("after the explicit request was given elsewhere the page shows:\n%s", text)
	}
}

// TestCountryDialogChoosesTheCountryOfTheEID: found by trying the app as
// Jānis, a Latvian, asking for his proof of birth: the dialog said
// "Choose a country" with Latvia among five, where the portal has chosen
// the signed-in person's country since the last round. The app's dialog
// now chooses the country of the eID of whom the app acts for (Germany
// for Lukas), Start ready; another can still be chosen.
func TestCountryDialogChoosesTheCountryOfTheEID(t *testing.T) {
	for _, tc := range []struct{ user, want string }{{"janis", "Latvia"}, {"lukas", "Germany"}} {
		world := newSignInWorld(t)
		world.signInAs(t, tc.user)
		test.Tap(navButtons(t, world.w)[TabServices])
		sc := servicesScreen(t, world.w)
		sc.OpenService("lv-pension-claim")
		eventually(t, "the service page", func() bool { return strings.Contains(labels(world.w.Content()), "Evidence needed") })
		tapButton(t, world.w, "Request it online")
		overlay, choice := countryDialog(t, world.w)
		if choice.Selected != tc.want {
			t.Errorf("%s: the dialog chose %q among %v, want %s", tc.user, choice.Selected, choice.Options, tc.want)
		}
		for _, b := range find[*widget.Button](overlay) {
			if b.Text == "Start" && b.Disabled() {
				t.Errorf("%s: Start is disabled with %q chosen", tc.user, choice.Selected)
			}
		}
	}
}
