package ui

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/app"
	"github.com/vienreiz/vienreiz/app/signin"
	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/identity"
	"github.com/vienreiz/vienreiz/platforms/secrets"
)

// phoneApp is a second app on the same exchange service: a phone nobody
// has signed in on. Its identity-provider sign-in fails the test if it is
// ever tried: the phone is signed in by pairing only.
type phoneApp struct {
	w     fyne.Window
	s     *app.Session
	store secrets.Store
}

func newPhone(t *testing.T, world *signInWorld, store secrets.Store) *phoneApp {
	t.Helper()
	return newPhoneWithBrowser(t, world, store, func(string) error {
		t.Error("the phone was sent to the identity provider's page")
		return errors.New("no browser on this phone")
	})
}

// newPhoneWithBrowser is newPhone whose sign-in at the identity provider
// opens browser.
func newPhoneWithBrowser(t *testing.T, world *signInWorld, store secrets.Store, browser func(string) error) *phoneApp {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	flow, err := signin.New(context.Background(), world.idp.Provider(), store, browser, log)
	if err != nil {
		t.Fatal(err)
	}
	url := world.s.About.ServiceURL
	account := app.NewAccount(flow, log)
	account.UsePairing(client.New(url), store)
	c := client.New(url).WithTokenFunc(account.Token)
	c.OnRefused(account.Refused)
	s := app.NewSession(c, memPrefs{"language": "en"}, app.About{ServiceURL: url}, log)
	runInPlace(t, s)
	s.UseAccount(account)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	Build(w, s)
	w.Resize(fyne.NewSize(360, 740))
	return &phoneApp{w: w, s: s, store: store}
}

// typeCode types a code in the app's "Enter a code" dialog.
func typeCode(t *testing.T, w fyne.Window, code string) {
	t.Helper()
	test.Tap(navButtons(t, w)[TabServices])
	tapButton(t, w, "Enter a code")
	overlay := w.Canvas().Overlays().Top()
	test.Type(find[*escapeEntry](overlay)[0], code)
	tapIn(t, overlay, "Continue")
}

var pairingCode = regexp.MustCompile(`\b[0-9A-Z]{4}-[0-9A-Z]{4}\b`)

// showPhonePairing taps "Sign in a phone" on the desktop's Profile and
// returns the code the dialog shows.
func showPhonePairing(t *testing.T, w fyne.Window) string {
	t.Helper()
	test.Tap(navButtons(t, w)[TabProfile])
	tapButton(t, w, "Sign in a phone")
	text := dialogText(t, w)
	code := pairingCode.FindString(text)
	if code == "" || !strings.Contains(text, "signed in as you, at the same level of assurance") {
		t.Fatalf("the pairing dialog shows:\n%s", text)
	}
	return code
}

// TestPhoneIsSignedInByPairing: Jānis, signed in on the desktop, shows a
// pairing code on Profile; his phone, where nobody is signed in, takes
// the typed code and is signed in as him at the same level, sees his
// requests and stays signed in after a restart. The same code on a third
// device, and an unknown code, are refused with their reason and sign
// nothing in. The desktop lists the phone under "Your devices"; signing
// it out there signs the phone out at its next call; after a new pairing,
// "Sign out everywhere" on the desktop signs the phone out too.
func TestPhoneIsSignedInByPairing(t *testing.T) {
	ctx := context.Background()
	world := newSignInWorld(t)
	w, s := world.w, world.s
	if err := s.Account.SignIn(ctx, ""); err != nil {
		t.Fatal(err)
	}
	desk, _ := s.Account.Person()
	if _, err := client.New(s.About.ServiceURL).WithTokenFunc(s.Account.Token).CreateRequest(ctx,
		api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: "https://sr.oots.tech.europa.eu/requirements/0db2683a-c917-51d2-a0b3-08377a50bfba", Country: "LV"}); err != nil {
		t.Fatal(err)
	}

	code := showPhonePairing(t, w)
	keepScreenshot(t, w, "screenshot-pairing-desktop.png")
	phone := newPhone(t, world, secrets.Memory())
	if phone.s.Account.SignedIn() {
		t.Fatal("the phone starts signed in")
	}
	typeCode(t, phone.w, strings.ToLower(code))
	p, ok := phone.s.Account.Person()
	if !ok || p.Identifier != desk.Identifier || p.Level != desk.Level || p.Level != identity.LevelSubstantial {
		t.Fatalf("the phone is signed in as %+v (%v), want %+v", p, ok, desk)
	}
	if text := dialogText(t, phone.w); !strings.Contains(text, "This device is now signed in as Jānis Bērziņš") {
		t.Fatalf("the phone says:\n%s", text)
	}
	keepScreenshot(t, phone.w, "screenshot-pairing-phone.png")
	eventually(t, "Jānis's request on the phone", func() bool { return phone.s.Requests.List.Length() == 1 })

	// The same code elsewhere, and a made-up one: refused, nobody signed in.
	third := newPhone(t, world, secrets.Memory())
	for c, want := range map[string]string{code: "already been used", "2345-6789": "not known to the service"} {
		typeCode(t, third.w, c)
		if text := dialogText(t, third.w); !strings.Contains(text, want) || third.s.Account.SignedIn() {
			t.Errorf("code %s on a third device: signed in %v, it says:\n%s", c, third.s.Account.SignedIn(), text)
		}
	}

	// A restart of the phone carries on signed in.
	again := newPhone(t, world, phone.store)
	if !again.s.Account.Resume(ctx) {
		t.Fatal("the phone's sign-in did not survive a restart")
	}
	if p, _ := again.s.Account.Person(); p.Identifier != desk.Identifier {
		t.Fatalf("after a restart the phone is %+v", p)
	}

	// The desktop lists the phone and signs it out.
	tapIn(t, w.Canvas().Overlays().Top(), "Close")
	eventually(t, "the phone under Your devices", func() bool {
		return strings.Contains(labels(w.Content()), "signed in "+time.Now().Format("2006-01-02"))
	})
	keepScreenshot(t, w, "screenshot-profile-devices.png")
	tapButton(t, w, "Sign out device")
	if !strings.Contains(dialogText(t, w), "is signed out") {
		t.Fatalf("after signing the phone out the desktop says:\n%s", dialogText(t, w))
	}
	_ = again.s.Requests.Refresh(ctx)
	if again.s.Account.SignedIn() || !again.s.Account.Expired() {
		t.Fatalf("the phone is still signed in after the desktop signed it out")
	}

	// Paired again, then "Sign out everywhere" on the desktop.
	tapIn(t, w.Canvas().Overlays().Top(), "OK")
	code = showPhonePairing(t, w)
	tapIn(t, w.Canvas().Overlays().Top(), "Close")
	typeCode(t, again.w, code)
	if !again.s.Account.SignedIn() {
		t.Fatalf("the phone was not signed in again:\n%s", dialogText(t, again.w))
	}
	tapButton(t, w, "Sign out everywhere")
	tapIn(t, w.Canvas().Overlays().Top(), "Sign out everywhere") // the question names the action
	_ = again.s.Requests.Refresh(ctx)
	if again.s.Account.SignedIn() || s.Account.SignedIn() {
		t.Fatalf("after signing out everywhere: phone %v, desktop %v", again.s.Account.SignedIn(), s.Account.SignedIn())
	}
}
