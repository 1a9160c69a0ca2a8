package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/identity"
)

// TestSignedInPagesScroll: on the screens shown only to a signed-in person
// (requests, wallet, inbox), the mouse wheel and a finger's swipe reach the
// page. The sign-in page's scroll container stayed over the screen, empty,
// after sign-in and took every scroll: in the real app the request page at
// the preview could not be scrolled to its approve button (found by the
// whole-flow drive under Xvfb).
func TestSignedInPagesScroll(t *testing.T) {
	world := newSignInWorld(t)
	w, s := world.w, world.s
	w.Resize(fyne.NewSize(800, 420)) // a request page is taller than this
	ctx := context.Background()
	if err := s.Account.SignIn(ctx, identity.LevelHigh); err != nil {
		t.Fatal(err)
	}
	req, err := s.Requests.Create(ctx, "lv-birth-certificate", proofOfBirth, "LV")
	if err != nil {
		t.Fatal(err)
	}
	test.Tap(navButtons(t, w)[TabRequests])
	rs := find[*RequestsScreen](w.Content())[0]
	rs.Open(req.ID)
	var page *container.Scroll
	eventually(t, "the request page", func() bool {
		if pages := find[*container.Scroll](rs.nav.Top()); len(pages) > 0 {
			page = pages[0]
		}
		return page != nil
	})
	if page.Content.MinSize().Height <= page.Size().Height {
		t.Fatalf("the request page (%v) fits its %v view: nothing to scroll", page.Content.MinSize(), page.Size())
	}
	// The wheel over the middle of the page, as the window routes it.
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(page)
	middle := at.Add(fyne.NewPos(page.Size().Width/2, page.Size().Height/2))
	test.Scroll(w.Canvas(), middle, 0, -120)
	if page.Offset.Y <= 0 {
		t.Fatalf("the wheel over the signed-in request page did not scroll it (offset %v)", page.Offset)
	}
}

// TestWheelScrollsAFormOverItsFields: the profile's forms (mandates,
// administration) are long; the mouse wheel stopped scrolling the page
// whenever the pointer came over one of their fields, as Fyne gives a
// wheel turn to the innermost scroller under the pointer and every text
// field has one that keeps it (found turning the wheel over the profile
// in the running app: ten turns over a field moved nothing). The page
// scrolls wherever the pointer is.
func TestWheelScrollsAFormOverItsFields(t *testing.T) {
	world := newSignInWorld(t)
	w := world.w
	w.Resize(fyne.NewSize(800, 960))
	test.Tap(navButtons(t, w)[TabProfile])
	tapButton(t, w, "Sign in")
	var field *widget.Entry
	for _, e := range find[*widget.Entry](w.Content()) {
		if e.PlaceHolder != "" && strings.HasPrefix(e.PlaceHolder, "LV/") {
			field = e // the representative's identifier
			break
		}
	}
	if field == nil {
		t.Fatal("no field for the representative's identifier")
	}
	w.Resize(fyne.NewSize(800, 961)) // lays out the cards filled in after sign-in
	if field.Size().Width <= 0 {
		t.Fatalf("the field is %v", field.Size())
	}
	var page *container.Scroll // the page holding the field
	for _, p := range find[*container.Scroll](w.Content()) {
		for _, e := range find[*widget.Entry](p.Content) {
			if e == field {
				page = p
			}
		}
	}
	if page == nil {
		t.Fatal("the field is on no scrolling page")
	}
	// The window is tall enough to show the field at the top of the page,
	// and shorter than the page.
	d := fyne.CurrentApp().Driver()
	page.ScrollToOffset(fyne.NewPos(0, 0))
	if page.Content.MinSize().Height <= page.Size().Height {
		t.Fatalf("the profile (%v) fits its %v view: nothing to scroll", page.Content.MinSize(), page.Size())
	}
	before := page.Offset.Y
	over := d.AbsolutePositionForObject(field).Add(fyne.NewPos(field.Size().Width/2, field.Size().Height/2))
	if over.Y > w.Canvas().Size().Height {
		t.Fatalf("the field (at %v) is out of the window", over)
	}
	test.Scroll(w.Canvas(), over, 0, -120)
	if page.Offset.Y <= before {
		t.Fatalf("the wheel over a field did not scroll the profile (offset %v, before %v)", page.Offset.Y, before)
	}
	// A click, a drag or the pointer's hovering over the field still
	// reach it: the window looks for those by interfaces that the layer
	// over the page does not have.
	var layer any = &wheelLayer{}
	for name, has := range map[string]bool{
		"Tappable": is[fyne.Tappable](layer), "DoubleTappable": is[fyne.DoubleTappable](layer),
		"SecondaryTappable": is[fyne.SecondaryTappable](layer), "Draggable": is[fyne.Draggable](layer),
		"Focusable": is[fyne.Focusable](layer), "Mouseable": is[desktop.Mouseable](layer),
		"Hoverable": is[desktop.Hoverable](layer), "Cursorable": is[desktop.Cursorable](layer),
	} {
		if has {
			t.Errorf("the wheel layer is %s: it would take that from the fields under it", name)
		}
	}
}

// is reports whether v is a T.
func is[T any](v any) bool {
	_, ok := v.(T)
	return ok
}

// TestProfileShowsSignInAfterSignOut: signed out from the bottom of the
// profile's Sign-in card, the page kept its place, now far below the end
// of the shorter signed-out page, and showed the settings: the "Sign in"
// button and "You are not signed in" were above the view (found trying
// the app as the administrator). Signing in or out shows the page from
// its top.
func TestProfileShowsSignInAfterSignOut(t *testing.T) {
	world := newSignInWorld(t)
	w, s := world.w, world.s
	w.Resize(fyne.NewSize(800, 420))
	if err := s.Account.SignIn(context.Background(), identity.LevelSubstantial); err != nil {
		t.Fatal(err)
	}
	test.Tap(navButtons(t, w)[TabProfile])
	var page *container.Scroll
	for _, sc := range find[*container.Scroll](w.Content()) {
		if sc.Visible() && strings.Contains(labels(sc.Content), "Sign out") {
			page = sc
		}
	}
	if page == nil {
		t.Fatal("no profile page")
	}
	page.ScrollToOffset(fyne.NewPos(0, 300))
	tapButton(t, w, "Sign out")
	eventually(t, "the signed-out profile", func() bool { return !s.Account.SignedIn() })
	if page.Offset.Y != 0 {
		t.Fatalf("after sign-out the profile shows from %v, not its top", page.Offset)
	}
}
