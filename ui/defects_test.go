package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/app"
)

// tapBack taps the visible back button of the open screen.
func tapBack(t *testing.T, root fyne.CanvasObject) {
	t.Helper()
	for _, b := range find[*widget.Button](root) {
		if b.Icon != nil && b.Icon.Name() == theme.NavigateBackIcon().Name() {
			test.Tap(b)
			return
		}
	}
	t.Fatal("no back button")
}

// TestServicesSurviveAnExpiredRenderer (defect 1): Fyne throws away the
// renderers of widgets not drawn for about a minute (a tab left open
// elsewhere) and makes new ones when they are shown again. The services
// screen must come back as it was, and Back must lead to the search and
// the list, not to a blank page under the title.
func TestServicesSurviveAnExpiredRenderer(t *testing.T) {
	w, s := newApp(t, "en")
	sc := servicesScreen(t, w)
	eventually(t, "the whole catalogue", func() bool { return s.Catalogue.Results.Length() == 16 })
	sc.Results.Select(0)
	eventually(t, "the detail page", func() bool { return strings.Contains(labels(w.Content()), "Evidence needed") })

	test.Tap(navButtons(t, w)[TabProfile])
	t.Run("renderer expires", func(t *testing.T) {
		// TempWidgetRenderer destroys the renderer when the subtest ends,
		// as Fyne's cache does when it expires.
		test.TempWidgetRenderer(t, sc.Navigation())
	})
	test.Tap(navButtons(t, w)[TabServices])
	if !strings.Contains(labels(w.Content()), "Evidence needed") {
		t.Fatalf("the service page is gone after the renderer was rebuilt:\n%s", labels(w.Content()))
	}
	tapBack(t, w.Content())
	if entries := find[*widget.Entry](sc); len(entries) == 0 {
		t.Fatalf("no search field after Back; the screen shows:\n%s", labels(sc))
	}
	if lists := find[*widget.List](sc); len(lists) != 1 {
		t.Fatalf("found %d result lists after Back", len(lists))
	}
}

// startRequest starts a request for the first evidence of service from
// country through the session.
func startRequest(t *testing.T, s *app.Session, service, country string) *api.Request {
	t.Helper()
	svc, err := s.Catalogue.Service(context.Background(), service)
	if err != nil {
		t.Fatal(err)
	}
	req, err := s.Requests.Create(context.Background(), svc.ID, svc.Evidence[0].Requirement, country)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// TestRequestsBackLeadsToTheListAtOnce (defect 7): requests opened one
// after another (from the inbox, the wallet, a new request) do not pile
// up; one Back returns to the list.
func TestRequestsBackLeadsToTheListAtOnce(t *testing.T) {
	w, s := newApp(t, "en")
	test.Tap(navButtons(t, w)[TabRequests])
	screen := find[*RequestsScreen](w.Content())[0]
	for range 3 {
		screen.Open(startRequest(t, s, "lv-ehic", "LV").ID)
	}
	presses := 0
	for strings.Contains(labels(w.Content()), "Timeline") && presses < 10 {
		tapBack(t, w.Content())
		presses++
	}
	if presses != 1 {
		t.Fatalf("%d Back presses to reach the list after opening three requests, want 1", presses)
	}
}
