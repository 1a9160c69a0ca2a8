package ui

import (
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestOpenedDocumentsAreNotLeftBehind: found by trying the app as a shared
// computer is used (Jānis signed in at a public service centre's desktop,
// opened his vehicle registration certificate, signed out): the copy the
// app gave the system's viewer stayed in the cache folder in the clear, for
// the next person at the desk to find, after sign-out, after the app quit,
// and even when no app had opened it. A copy no app opened goes at once;
// the others when he signs out.
func TestOpenedDocumentsAreNotLeftBehind(t *testing.T) {
	world := newSignInWorld(t)
	w, s := world.w, world.s
	world.signInAs(t, "janis")
	deliverFor(t, s, "lv-vehicle-registration") // at level substantial
	test.Tap(navButtons(t, w)[TabWallet])
	ws := walletScreen(t, w)
	eventually(t, "the document in the wallet", func() bool { return s.Wallet.Items.Length() == 1 })
	find[*widget.List](ws)[0].Select(0)
	eventually(t, "the document page", func() bool { return strings.Contains(labels(w.Content()), "Issued by") })

	// No app opens it: the copy is not kept.
	var tried *url.URL
	ws.openURL = func(u *url.URL) error { tried = u; return errors.New("xdg-open: exit status 3") }
	tapButton(t, w, "Open")
	if tried == nil {
		t.Fatal("Open handed nothing to the system's viewer")
	}
	dialogText(t, w) // the person is told
	w.Canvas().Overlays().Remove(w.Canvas().Overlays().Top())
	if _, err := os.Stat(tried.Path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the copy no app opened is still there (%v): %s", err, tried.Path)
	}

	// A viewer opens it: the copy stays while he is signed in.
	var opened *url.URL
	ws.openURL = func(u *url.URL) error { opened = u; return nil }
	tapButton(t, w, "Open")
	if opened == nil {
		t.Fatal("Open handed nothing to the system's viewer")
	}
	if _, err := os.Stat(opened.Path); err != nil {
		t.Fatalf("the opened copy is gone while the viewer has it: %v", err)
	}

	test.Tap(navButtons(t, w)[TabProfile])
	tapButton(t, w, "Sign out")
	eventually(t, "signed out", func() bool { return !s.Account.SignedIn() })
	eventually(t, "the opened copy removed at sign-out", func() bool {
		_, err := os.Stat(opened.Path)
		return errors.Is(err, os.ErrNotExist)
	})
	left, _ := os.ReadDir(filepath.Dir(opened.Path))
	if len(left) != 0 {
		t.Fatalf("after sign-out the documents folder holds %d files", len(left))
	}
}

// TestTheNextPersonSeesNoneOfTheLastOnesPages: found trying the app as a
// shared computer is used. Jānis left his delivered vehicle certificate's
// page open, signed out, and Lukas signed in at the same desk: the
// Requests destination showed Jānis's page, with his dates, his timeline
// and Open and Save a copy (the service answered 404 to them). Every
// destination goes back to its first page when the person changes; a
// person signing in where nobody was keeps the place (the sign-in tests).
// The catalogue's search goes too.
func TestTheNextPersonSeesNoneOfTheLastOnesPages(t *testing.T) {
	world := newSignInWorld(t)
	w, s := world.w, world.s
	world.signInAs(t, "janis")
	r := deliverFor(t, s, "lv-vehicle-registration")
	test.Tap(navButtons(t, w)[TabServices])
	services := servicesScreen(t, w)
	services.delay = 0 // searches at once, on the test's goroutine
	services.Search.SetText("vehicle")
	services.OpenService(r.ServiceID)
	eventually(t, "the service's page", func() bool { return services.Navigation().Depth() == 1 })
	test.Tap(navButtons(t, w)[TabWallet])
	ws := walletScreen(t, w)
	eventually(t, "the document in the wallet", func() bool { return s.Wallet.Items.Length() == 1 })
	find[*widget.List](ws)[0].Select(0)
	eventually(t, "the document page", func() bool { return ws.nav.Depth() == 1 })
	test.Tap(navButtons(t, w)[TabRequests])
	requests := find[*RequestsScreen](w.Content())[0]
	requests.Open(r.ID)
	eventually(t, "the request's page", func() bool { return requests.nav.Depth() == 1 })

	test.Tap(navButtons(t, w)[TabProfile])
	tapButton(t, w, "Sign out")
	eventually(t, "signed out", func() bool { return !s.Account.SignedIn() })
	world.signInAs(t, "lukas")
	for name, nav := range map[string]*pages{"Services": services.Navigation(), "Wallet": ws.nav, "Requests": requests.nav} {
		if nav.Depth() != 0 {
			t.Errorf("Lukas, signed in after Jānis, finds %s showing Jānis's page %q", name, nav.Title())
		}
	}
	if services.Search.Text != "" {
		t.Errorf("Lukas finds Jānis's search %q", services.Search.Text)
	}
	test.Tap(navButtons(t, w)[TabRequests])
	if text := labels(w.Content()); strings.Contains(text, "Vehicle registration certificate") {
		t.Errorf("Lukas's Requests show Jānis's request:\n%s", text)
	}
}

// TestTheDeskClosesTheApplicationAtSignOut: the clerk's page of an
// application (a citizen's name, documents and decisions) closes when the
// clerk signs out, as the other destinations' pages do.
func TestTheDeskClosesTheApplicationAtSignOut(t *testing.T) {
	world := newSignInWorldAs(t, true)
	w, s := world.w, world.s
	world.signInAs(t, "anna")
	test.Tap(find[*navButton](w.Content())[TabDesk])
	eventually(t, "the desk", func() bool { return len(find[*DeskScreen](w.Content())) == 1 })
	desk := find[*DeskScreen](w.Content())[0]
	desk.nav.Push(widget.NewLabel("Jānis Bērziņš applies to register a business activity"), "Extract of the register")
	test.Tap(find[*navButton](w.Content())[TabProfile])
	tapButton(t, w, "Sign out")
	eventually(t, "signed out", func() bool { return !s.Account.SignedIn() })
	if desk.nav.Depth() != 0 {
		t.Fatalf("after the clerk signed out the desk still shows %q", desk.nav.Title())
	}
}
