package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

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
		page, _ = rs.nav.Top().(*container.Scroll)
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
