package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/oauth2"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/app"
	"github.com/vienreiz/vienreiz/app/signin"
	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/identity"
	"github.com/vienreiz/vienreiz/identity/devidp"
	"github.com/vienreiz/vienreiz/identity/devidp/devidptest"
	"github.com/vienreiz/vienreiz/oots/demonet"
	"github.com/vienreiz/vienreiz/oots/exchange"
	"github.com/vienreiz/vienreiz/platforms/secrets"
)

// signInWorld is the app over a real exchange service that checks the
// development provider's tokens, with a stand-in for the system browser
// that signs in on the provider's page as the person named by user, at the
// level the app asked for (as a person accepting the page's choice does).
// The app opens the browser on a goroutine of its own, so the test reads
// and sets the browser's state under mu (the race detector found the
// counter shared without it, in CI).
type signInWorld struct {
	w   fyne.Window
	s   *app.Session
	idp *devidp.Server

	mu    sync.Mutex
	user  string // who signs in at the next page
	pages int    // sign-in pages the browser was sent to
}

// setUser makes user the one who signs in at the next sign-in page.
func (world *signInWorld) setUser(user string) {
	world.mu.Lock()
	defer world.mu.Unlock()
	world.user = user
}

// pageCount is the number of sign-in pages the browser was sent to.
func (world *signInWorld) pageCount() int {
	world.mu.Lock()
	defer world.mu.Unlock()
	return world.pages
}

func newSignInWorld(t *testing.T) *signInWorld {
	t.Helper()
	return newSignInWorldAs(t, false)
}

// newSignInWorldAs is newSignInWorld with the app built for a clerk (the
// desk shown) when clerk is set.
func newSignInWorldAs(t *testing.T, clerk bool) *signInWorld {
	t.Helper()
	return newSignInWorldIn(t, clerk, "en")
}

// newSignInWorldIn is newSignInWorldAs with the app in language.
func newSignInWorldIn(t *testing.T, clerk bool, language string) *signInWorld {
	t.Helper()
	ctx := context.Background()
	test.NewTempApp(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	// Access tokens shorter than the client's expiry margin: every call
	// refreshes, so a session ended at the provider shows at the next call.
	idp, err := devidp.Start(ctx, devidp.Options{Log: log, AccessTokenTTL: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idp.Close(context.Background()) })
	auth, err := exchange.NewOIDCTokens(ctx, idp.Provider(), exchange.OIDCOptions{Log: log})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := exchange.Start(ctx, exchange.Config{DataDir: t.TempDir(), Logger: log, Network: demonet.Embedded{}, Auth: auth})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(context.Background()) })
	world := &signInWorld{idp: idp, user: "janis"}
	browser := func(authURL string) error {
		world.mu.Lock()
		world.pages++
		user := world.user
		world.mu.Unlock()
		u, err := url.Parse(authURL)
		if err != nil {
			return err
		}
		level, _ := identity.LevelFromACR(u.Query().Get("acr_values"))
		return devidptest.Browser(ctx, user, level)(authURL)
	}
	flow, err := signin.New(ctx, idp.Provider(), secrets.Memory(), browser, log)
	if err != nil {
		t.Fatal(err)
	}
	account := app.NewAccount(flow, log)
	account.UsePairing(client.New(srv.URL()), secrets.Memory()) // as main does
	s := app.NewSession(client.New(srv.URL()).WithTokenFunc(account.Token), memPrefs{"language": language}, app.About{ServiceURL: srv.URL()}, log)
	runInPlace(t, s)
	s.Clerk = clerk
	s.UseAccount(account)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	Build(w, s)
	w.Resize(fyne.NewSize(1000, 700))
	world.w, world.s = w, s
	return world
}

// tapIn taps the visible button with text under root.
func tapIn(t *testing.T, root fyne.CanvasObject, text string) {
	t.Helper()
	for _, b := range find[*widget.Button](root) {
		if b.Text == text {
			test.Tap(b)
			return
		}
	}
	for _, b := range find[*wrapButton](root) {
		if b.Text == text {
			test.Tap(b)
			return
		}
	}
	t.Fatalf("no %q button; shown:\n%s", text, labels(root))
}

// dialogText is the text of the top dialog, failing when there is none.
func dialogText(t *testing.T, w fyne.Window) string {
	t.Helper()
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatalf("no dialog; the window shows:\n%s", labels(w.Content()))
	}
	return labels(top)
}

// TestSignInInTheAppKeepsThePlace walks a person through the app's
// sign-in against the development provider: signed out, the catalogue is
// open and the person's screens offer sign-in; starting a request asks to
// sign in and carries on to the country choice; evidence that needs level
// High asks for a step-up and then sends; the profile shows the person;
// a session ended elsewhere is told and signed in again on the same step;
// sign out empties the person's screens.
func TestSignInInTheAppKeepsThePlace(t *testing.T) {
	world := newSignInWorld(t)
	w, s := world.w, world.s

	// Signed out: the profile and the requests say so; the catalogue works.
	test.Tap(navButtons(t, w)[TabProfile])
	if text := labels(w.Content()); !strings.Contains(text, "You are not signed in") || strings.Contains(text, "My records") {
		t.Fatalf("signed-out profile (no records of nobody):\n%s", text)
	}
	keepScreenshot(t, w, "screenshot-profile-signed-out.png")
	test.Tap(navButtons(t, w)[TabRequests])
	if text := labels(w.Content()); !strings.Contains(text, "to see your evidence requests") {
		t.Fatalf("signed-out requests screen:\n%s", text)
	}
	test.Tap(navButtons(t, w)[TabServices])
	sc := servicesScreen(t, w)
	if err := s.Links.Follow("vienreiz://services/lv-birth-certificate"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the service page without signing in", func() bool { return strings.Contains(labels(w.Content()), "Evidence needed") })

	// Starting a request asks to sign in, then goes on to the countries.
	tapIn(t, sc.Navigation(), "Request it online")
	if text := dialogText(t, w); !strings.Contains(text, "Sign in with your eID to do this") {
		t.Fatalf("the sign-in question says:\n%s", text)
	}
	tapIn(t, w.Canvas().Overlays().Top(), "Sign in")
	if p, ok := s.Account.Person(); !ok || p.Identifier != "LV/LV/01019012345" || p.Level != identity.LevelSubstantial {
		t.Fatalf("signed in as %+v (%v)", p, ok)
	}
	country := w.Canvas().Overlays().Top()
	if country == nil || len(find[*widget.Select](country)) != 1 {
		t.Fatalf("after sign-in the country choice is not shown:\n%s", labels(w.Content()))
	}
	find[*widget.Select](country)[0].SetSelected("Latvia")
	tapIn(t, country, "Start")
	eventually(t, "the new request", func() bool { return s.Requests.List.Length() == 1 })
	if !navButtons(t, w)[TabRequests].selected {
		t.Fatal("the started request is not open")
	}

	// The Latvian birth record needs High: a step-up, then it is sent.
	tapButton(t, w, "I request this evidence")
	if text := dialogText(t, w); !strings.Contains(text, "level of assurance “High”") {
		t.Fatalf("the step-up question says:\n%s", text)
	}
	tapIn(t, w.Canvas().Overlays().Top(), "Sign in")
	if !s.Account.Has(identity.LevelHigh) || world.pageCount() != 2 {
		t.Fatalf("the step-up did not raise the level to High (%d sign-in pages)", world.pageCount())
	}
	eventually(t, "the explicit request after the step-up", func() bool {
		return strings.Contains(labels(w.Content()), "Explicit request given")
	})

	// The profile shows the person, with the name and date of birth an
	// authority matches its records by: the help of EDM:ERR:0004 ("does
	// not know you") sends people there to check them, and the date of
	// birth was not shown (found by trying the app).
	test.Tap(navButtons(t, w)[TabProfile])
	text := labels(w.Content())
	for _, want := range []string{"Jānis Bērziņš", "LV/LV/01019012345", "Date of birth", "1990-01-01", "Level of assurance", "High", "My records"} {
		if !strings.Contains(text, want) {
			t.Errorf("signed-in profile lacks %q:\n%s", want, text)
		}
	}
	keepScreenshot(t, w, "screenshot-profile-signed-in.png")

	// Signed out everywhere from another device: the next call finds the
	// session ended, says so over the same step, and carries on after a
	// new sign-in.
	other, err := signin.New(context.Background(), world.idp.Provider(), secrets.Memory(), devidptest.Browser(context.Background(), "janis", ""), nil)
	if err != nil {
		t.Fatal(err)
	}
	// The first request withdrawn, the service page offers to ask again
	// (while it is under way, it leads to it).
	list, _ := s.Requests.List.Get()
	if _, err := s.Requests.Cancel(context.Background(), list[0].(api.Request).ID); err != nil {
		t.Fatal(err)
	}
	elsewhere, err := other.SignIn(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if err := elsewhere.SignOut(context.Background(), true); err != nil {
		t.Fatal(err)
	}
	test.Tap(navButtons(t, w)[TabServices])
	tapIn(t, sc.Navigation(), "Request it online")
	country = w.Canvas().Overlays().Top()
	find[*widget.Select](country)[0].SetSelected("Latvia")
	pages := world.pageCount()
	tapIn(t, country, "Start")
	if text := dialogText(t, w); !strings.Contains(text, "Your session has ended") {
		t.Fatalf("after the session ended elsewhere the app says:\n%s", text)
	}
	tapIn(t, w.Canvas().Overlays().Top(), "Sign in")
	if n := world.pageCount() - pages; n != 1 {
		t.Fatalf("the browser was sent to %d sign-in pages, want 1", n)
	}
	eventually(t, "the second request after signing in again", func() bool { return s.Requests.List.Length() == 2 })

	// Sign out: the person's screens are emptied and offer sign-in again.
	test.Tap(navButtons(t, w)[TabProfile])
	tapButton(t, w, "Sign out")
	if s.Account.SignedIn() || s.Requests.List.Length() != 0 {
		t.Fatalf("after sign out: signed in %v, %d requests listed", s.Account.SignedIn(), s.Requests.List.Length())
	}
	if text := labels(w.Content()); !strings.Contains(text, "You are not signed in") {
		t.Fatalf("profile after sign out:\n%s", text)
	}
	test.Tap(navButtons(t, w)[TabRequests])
	if text := labels(w.Content()); !strings.Contains(text, "to see your evidence requests") || strings.Contains(text, "Birth") {
		t.Fatalf("requests screen after sign out:\n%s", text)
	}
}

// TestActingForSomeoneWhoGaveAMandate: Jānis lets Līga act for him in
// the birth-certificate service; signed in as Līga, the header offers to
// act for him, says so while she does, and the request she starts is his:
// its page names them both, and he sees it in his own list.
func TestActingForSomeoneWhoGaveAMandate(t *testing.T) {
	ctx := context.Background()
	world := newSignInWorld(t)
	w, s := world.w, world.s
	janis := ligaActsForJanis(t, world)
	choice := actingSwitcher(t, w)
	if !strings.Contains(choice.Options[1], "Jānis Bērziņš") {
		t.Fatalf("the switcher offers %v", choice.Options)
	}
	choice.SetSelectedIndex(1)
	if text := labels(w.Content()); !strings.Contains(text, "You are acting for Jānis Bērziņš") {
		t.Fatalf("acting for Jānis is not said:\n%s", text)
	}

	test.Tap(navButtons(t, w)[TabServices])
	if text := labels(w.Content()); !strings.Contains(text, "You are acting for Jānis Bērziņš") {
		t.Fatal("the services screen does not say for whom the person acts")
	}
	sc := servicesScreen(t, w)
	sc.OpenService("lv-birth-certificate")
	eventually(t, "the service page", func() bool { return strings.Contains(labels(w.Content()), "Evidence needed") })
	tapIn(t, sc.Navigation(), "Request it online")
	country := w.Canvas().Overlays().Top()
	// The dialog, over the banner's dimmed screen, says for whom too.
	if text := labels(country); !strings.Contains(text, "You are acting for Jānis Bērziņš") {
		t.Fatalf("the country choice does not say the request is for Jānis:\n%s", text)
	}
	find[*widget.Select](country)[0].SetSelected("Latvia")
	tapIn(t, country, "Start")
	eventually(t, "the request made for Jānis", func() bool { return s.Requests.List.Length() == 1 })
	if text := labels(w.Content()); !strings.Contains(text, "Made by Līga Kalniņa") || !strings.Contains(text, "for Jānis Bērziņš") {
		t.Fatalf("the request page does not name both:\n%s", text)
	}
	// The explicit request she gives is for his application, not hers.
	if text := labels(w.Content()); !strings.Contains(text, "handling the application of Jānis Bērziņš") || strings.Contains(text, "your application") {
		t.Fatalf("the explicit request does not say whose application it is for:\n%s", text)
	}
	his, err := janis.Requests(ctx)
	if err != nil || len(his) != 1 || !strings.Contains(his[0].Representative, "Līga Kalniņa") {
		t.Fatalf("Jānis's own list: %+v, %v", his, err)
	}
	// Jānis, signed in on this device, reads the same request as his own.
	test.Tap(navButtons(t, w)[TabProfile])
	tapButton(t, w, "Sign out")
	world.setUser("janis")
	tapButton(t, w, "Sign in")
	openRequest(t, w, his[0].ID)
	eventually(t, "Jānis's view of the request", func() bool { return strings.Contains(labels(w.Content()), "Made by Līga Kalniņa") })
	if text := labels(w.Content()); !strings.Contains(text, "handling your application") {
		t.Fatalf("Jānis's explicit request is not for his application:\n%s", text)
	}
}

// ligaActsForJanis: Jānis gives Līga a mandate for the birth-certificate
// service and Līga signs in on the world's app. It returns Jānis's own
// client (the world's access tokens live 2 s: a fresh one for each call).
func ligaActsForJanis(t *testing.T, world *signInWorld) *client.Client {
	t.Helper()
	ctx := context.Background()
	var liga devidp.Person
	for _, p := range devidp.DemoPeople() {
		if p.Username == "liga" {
			liga = p
		}
	}
	janis := client.New(world.s.About.ServiceURL).WithTokenFunc(func() (string, error) {
		tok, err := devidptest.SignIn(ctx, world.idp.Issuer(), "janis", identity.LevelHigh)
		if err != nil {
			return "", err
		}
		return tok.AccessToken, nil
	})
	if _, err := janis.GiveMandate(ctx, api.NewMandate{Representative: liga.Identifier, RepresentativeName: "Līga Kalniņa",
		Services: []string{"lv-birth-certificate"}, ValidUntil: time.Now().Add(24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	world.signInAs(t, "liga")
	return janis
}

// signInAs signs user in on the world's app from the Profile destination
// and waits until the app has them.
func (world *signInWorld) signInAs(t *testing.T, user string) {
	t.Helper()
	world.setUser(user)
	test.Tap(find[*navButton](world.w.Content())[TabProfile])
	tapButton(t, world.w, lang.L("signin.button"))
	eventually(t, user+" signed in", func() bool { _, ok := world.s.Account.Person(); return ok })
}

// actingSwitcher is the header's acting-as choice.
func actingSwitcher(t *testing.T, w fyne.Window) *widget.Select {
	t.Helper()
	for _, sel := range find[*widget.Select](w.Content()) {
		if len(sel.Options) == 2 && sel.Options[0] == lang.L("acting.myself") {
			return sel
		}
	}
	t.Fatalf("no acting-as switcher in the header:\n%s", labels(w.Content()))
	return nil
}

// TestActingForSomeoneOffersNoneOfOnesOwnEvidence: Līga's own birth
// record in her wallet was offered for Jānis's application while she
// acted for him: the service page said "Already in your wallet … you need
// not ask again" and Apply passed it over. Acting for another, the page
// counts nothing of the wallet (it holds her documents, not his); it
// follows the switch while open.
func TestActingForSomeoneOffersNoneOfOnesOwnEvidence(t *testing.T) {
	world := newSignInWorld(t)
	w := world.w
	sc, held := birthRecordPage(t, world, false) // her own birth record
	eventually(t, "her page saying her record is held", held)

	actingSwitcher(t, w).SetSelectedIndex(1)
	eventually(t, "the page acting for Jānis", func() bool { return !held() })
	if !strings.Contains(labels(sc.Navigation()), "Evidence needed") {
		t.Fatalf("the service page is gone:\n%s", labels(sc.Navigation()))
	}
	if buttonCount(sc.Navigation(), "Apply") != 1 {
		t.Fatal("acting for Jānis, Apply is not offered for his birth record")
	}
	actingSwitcher(t, w).SetSelectedIndex(0)
	eventually(t, "her own page again", held)
}

// birthRecordPage has Līga, signed in at level High (as a birth record
// needs) and holding Jānis's mandate, have a birth record delivered, hers
// or, acting for him, his (forJanis), and opens the birth certificate's
// service page; held reports whether the page counts a record as held.
func birthRecordPage(t *testing.T, world *signInWorld, forJanis bool) (*ServicesScreen, func() bool) {
	t.Helper()
	w, s := world.w, world.s
	ligaActsForJanis(t, world)
	if err := s.Account.SignIn(context.Background(), identity.LevelHigh); err != nil {
		t.Fatal(err)
	}
	if forJanis {
		actingSwitcher(t, w).SetSelectedIndex(1)
	}
	deliverRequest(t, s)
	test.Tap(navButtons(t, w)[TabServices])
	sc := servicesScreen(t, w)
	sc.OpenService("lv-birth-certificate")
	return sc, func() bool { return strings.Contains(labels(sc.Navigation()), "already in your wallet") }
}

// TestSignInOffersThePagesAddress: while the app waits for the sign-in,
// its dialog lets the person copy the provider page's address once the
// browser was asked to show it, for a browser that did not.
func TestSignInOffersThePagesAddress(t *testing.T) {
	w, _ := newApp(t, "en") // the texts in English, also when this test runs alone
	w.Resize(fyne.NewSize(800, 600))
	cancelled := false
	waiting, pageOpened := signInWaiting(w, func() { cancelled = true })
	waiting.Show()
	if text := dialogText(t, w); !strings.Contains(text, "Signing in") || !strings.Contains(text, "No page in your browser? Copy its address") {
		t.Fatalf("the dialog says:\n%s", text)
	}
	copyPage := func() *widget.Button {
		for _, b := range find[*widget.Button](w.Canvas().Overlays().Top()) {
			if b.Text == "Copy the page's address" {
				return b
			}
		}
		t.Fatal("no button to copy the page's address")
		return nil
	}
	if !copyPage().Disabled() {
		t.Fatal("the page's address can be copied before it is known")
	}
	const page = "https://idp.example/authorize?client_id=vienreiz&state=s1"
	pageOpened(page, nil)
	if copyPage().Disabled() {
		t.Fatal("the page's address cannot be copied once the page was opened")
	}
	// The browser failed (as root, xdg-open found none that would start):
	// the dialog no longer says the page opened.
	bodyHeight := func() float32 { return find[*container.Scroll](w.Canvas().Overlays().Top())[0].MinSize().Height }
	before := bodyHeight()
	pageOpened(page, errors.New("xdg-open: exit status 3"))
	if text := dialogText(t, w); strings.Contains(text, "has opened in your browser") || !strings.Contains(text, "Your browser could not be opened. Copy the sign-in page’s address") {
		t.Fatalf("after the browser failed the dialog says:\n%s", text)
	}
	// The dialog shrinks to its one text: it kept the height of two, and
	// an empty band showed under the button (seen in the app every session
	// since).
	if after := bodyHeight(); after >= before {
		t.Errorf("the dialog's body is %.0f px high after the browser failed, %.0f before: it kept the room of the hidden text", after, before)
	}
	tapIn(t, w.Canvas().Overlays().Top(), "Copy the page's address")
	if got := fyne.CurrentApp().Clipboard().Content(); got != page {
		t.Errorf("copied %q, want the page's address %q", got, page)
	}
	tapIn(t, w.Canvas().Overlays().Top(), "Cancel")
	if !cancelled {
		t.Error("Cancel did not end the sign-in")
	}
}

// TestActingBannerShowsAtOnce: on a phone, choosing to act for Jānis left
// the header as high as before: the banner that says so did not show (it
// overlapped the screen below in the test window) until the window's size
// changed (found on a phone in Latvian). The header grows as the banner
// shows, and the screen below starts under it.
func TestActingBannerShowsAtOnce(t *testing.T) {
	world := newSignInWorld(t)
	ligaActsForJanis(t, world)
	w := world.w
	w.Resize(fyne.NewSize(360, 740))
	actingSwitcher(t, w).SetSelectedIndex(1)
	var banner *widget.Label
	for _, l := range find[*widget.Label](w.Content()) {
		if strings.HasPrefix(l.Text, "You are acting for Jānis Bērziņš") && l.Visible() {
			banner = l
		}
	}
	if banner == nil {
		t.Fatalf("no banner says for whom Līga acts:\n%s", labels(w.Content()))
	}
	d := fyne.CurrentApp().Driver()
	bottom := d.AbsolutePositionForObject(banner).Y + banner.Size().Height
	card := cardTitled(t, w.Content(), "Sign-in")
	if top := d.AbsolutePositionForObject(card).Y; banner.Size().Height < banner.MinSize().Height || bottom > top {
		t.Fatalf("the banner (%v high, needs %v) ends at %.0f, the screen below starts at %.0f", banner.Size().Height, banner.MinSize().Height, bottom, top)
	}
}

// TestPersonEvidenceSaysSoActingForACompany: Līga, acting for Baltic
// Timber SIA, opened "Claim an old-age pension": the page offered Apply
// like any other, and only the tap said that the evidence is about a
// person (found trying the app). A page for a company's evidence says so
// before; acting for a company, a person's evidence now says so too, and
// the page follows the switch back.
func TestPersonEvidenceSaysSoActingForACompany(t *testing.T) {
	w, sc := ligaOnServicePage(t, "lv-pension-claim")
	const aboutPerson = "About the person who applies"
	if page := labels(sc.Navigation()); strings.Contains(page, aboutPerson) {
		t.Fatalf("acting for herself, the page says:\n%s", page)
	}
	actingSwitcher(t, w).SetSelectedIndex(1) // Baltic Timber SIA
	eventually(t, "the page acting for the company", func() bool { return strings.Count(labels(sc.Navigation()), aboutPerson) == 2 })
	tapButton(t, w, "Apply")
	if text := dialogText(t, w); !strings.Contains(text, "This evidence is about a person") {
		t.Fatalf("Apply said:\n%s", text)
	}
	tapIn(t, w.Canvas().Overlays().Top(), "Close")
	actingSwitcher(t, w).SetSelectedIndex(0)
	eventually(t, "the page acting for herself again", func() bool { return !strings.Contains(labels(sc.Navigation()), aboutPerson) })
}

// ligaActsForHerCompany has the administrator register Līga's mandate for
// Baltic Timber SIA, for services (none: all), and signs her in on the
// world's app.
func ligaActsForHerCompany(t *testing.T, world *signInWorld, services ...string) {
	t.Helper()
	ctx := context.Background()
	admin := client.New(world.s.About.ServiceURL).WithTokenFunc(func() (string, error) {
		tok, err := devidptest.SignIn(ctx, world.idp.Issuer(), "admin", identity.LevelHigh)
		if err != nil {
			return "", err
		}
		return tok.AccessToken, nil
	})
	company, name := devidp.DemoCompany()
	liga := devidp.DemoPeople()[slices.IndexFunc(devidp.DemoPeople(), func(p devidp.Person) bool { return p.Represents == company })]
	if _, err := admin.GiveMandate(ctx, api.NewMandate{Representative: liga.Identifier, RepresentativeName: "Līga Kalniņa",
		Represented: company, RepresentedName: name, Services: services, ValidUntil: time.Now().AddDate(1, 0, 0)}); err != nil {
		t.Fatal(err)
	}
	world.signInAs(t, "liga")
}

// TestActingForACompanyCallsItOne: in Latvian, Līga's choice read
// "Personas Baltic Timber SIA (…) vārdā" and the banner "Jūs rīkojaties
// personas Baltic Timber SIA vārdā": a company is no person (found trying
// the app in Latvian), and so did the page of a request made for it. A
// company is called one.
func TestActingForACompanyCallsItOne(t *testing.T) {
	world := newSignInWorldIn(t, false, "lv")
	ligaActsForHerCompany(t, world)
	company, name := devidp.DemoCompany()
	switcher := actingSwitcher(t, world.w)
	if want := "Uzņēmuma " + name + " (" + company + ") vārdā"; switcher.Options[1] != want {
		t.Errorf("the choice reads %q, want %q", switcher.Options[1], want)
	}
	switcher.SetSelectedIndex(1)
	page := labels(world.w.Content())
	if want := "Jūs rīkojaties uzņēmuma " + name + " vārdā"; !strings.Contains(page, want) {
		t.Errorf("no %q:\n%s", want, page)
	}
	if strings.Contains(page, "personas "+name) || strings.Contains(page, "Personas "+name) {
		t.Errorf("the company is called a person:\n%s", page)
	}
	// So does the page of a request she made for it.
	r := startRequest(t, world.s, "lv-register-business", "LV")
	test.Tap(navButtons(t, world.w)[TabRequests])
	find[*RequestsScreen](world.w.Content())[0].Open(r.ID)
	eventually(t, "the company's request", func() bool { return strings.Contains(labels(world.w.Content()), "Pilnvarojums") })
	if page := labels(world.w.Content()); !strings.Contains(page, "uzņēmuma "+name+" ("+company+") vārdā saskaņā ar pilnvarojumu") {
		t.Errorf("the request page does not call the company one:\n%s", page)
	}
	// Nor its explicit request, which read "… iestādei, kas izskata
	// personas Baltic Timber SIA (…) pieteikumu, šīs personas vārdā".
	if page := labels(world.w.Content()); !strings.Contains(page, "izskata uzņēmuma "+name+" ("+company+") pieteikumu, tā vārdā") || strings.Contains(page, "personas "+name) {
		t.Errorf("the explicit request does not call the company one:\n%s", page)
	}
}

// TestActingForSomeoneCountsTheirDocuments: Līga, acting for Baltic
// Timber SIA, had the company's registration extract delivered, and the
// service page acting for the company still offered Apply for it: acting
// for another, the page counted nothing of the wallet, though the wallet
// listed the company's document among hers as "My evidence", saying not
// whose it was (found trying the app); her requests list did not either.
// The wallet's documents and the list's requests now say for whom they
// were asked; acting for someone, the page counts theirs, and acting for
// herself, hers alone.
func TestActingForSomeoneCountsTheirDocuments(t *testing.T) {
	world := newSignInWorld(t)
	w := world.w
	sc, held := birthRecordPage(t, world, true) // his birth record, asked for by her
	eventually(t, "the page acting for Jānis saying his record is held", held)

	actingSwitcher(t, w).SetSelectedIndex(0)
	eventually(t, "her own page, where his record is not hers", func() bool { return !held() })
	if buttonCount(sc.Navigation(), "Apply") != 1 {
		t.Fatal("acting for herself, Apply is not offered for her birth record")
	}
	test.Tap(navButtons(t, w)[TabRequests])
	if page := labels(w.Content()); !strings.Contains(page, "For Jānis Bērziņš · Delivered") {
		t.Fatalf("the requests list does not say for whom the request was made:\n%s", page)
	}
	test.Tap(navButtons(t, w)[TabWallet])
	if page := labels(w.Content()); !strings.Contains(page, "For Jānis Bērziņš") {
		t.Fatalf("the wallet does not say whose the record is:\n%s", page)
	}
	find[*widget.List](find[*WalletScreen](w.Content())[0])[0].Select(0)
	eventually(t, "the document's page", func() bool { return strings.Contains(labels(w.Content()), "Issued by") })
	if page := labels(w.Content()); !strings.Contains(page, "About\nJānis Bērziņš") {
		t.Fatalf("the document's page does not say whose it is:\n%s", page)
	}
}

// providerOutage is a transport to the sign-in provider that fails every
// call while down, as a phone without network does.
type providerOutage struct{ down atomic.Bool }

func (o *providerOutage) RoundTrip(r *http.Request) (*http.Response, error) {
	if o.down.Load() {
		return nil, fmt.Errorf("dial tcp %s: connect: connection refused", r.URL.Host)
	}
	return http.DefaultTransport.RoundTrip(r)
}

// TestSignInProviderOutageIsNotASignOut: with the service and its
// sign-in provider stopped under Mari's signed-in phone, the requests
// screen said "Your session has ended. Sign in again" and the app forgot
// her session, though nothing had ended it (found by stopping the desktop
// app that served her phone). While the provider is out of reach the app
// stays signed in and says the service is unreachable, offering to try
// again; once it answers, the same session carries on.
func TestSignInProviderOutageIsNotASignOut(t *testing.T) {
	world := newSignInWorld(t)
	w, s := world.w, world.s
	net := &providerOutage{}
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, &http.Client{Transport: net})
	if err := s.Account.SignIn(ctx, ""); err != nil {
		t.Fatal(err)
	}
	test.Tap(navButtons(t, w)[TabRequests])
	net.down.Store(true)
	err := s.Requests.Refresh(context.Background())
	if _, needed := app.SignInNeeded(err); err == nil || needed || !errors.Is(err, client.ErrUnavailable) {
		t.Fatalf("a call while the provider is out of reach: %v (sign-in asked: %v), want the service unavailable", err, needed)
	}
	if !s.Account.SignedIn() {
		t.Fatal("the outage signed the person out")
	}
	if text := labels(w.Content()); strings.Contains(text, "session has ended") || strings.Contains(text, "to see your evidence requests") {
		t.Fatalf("the requests screen during the outage:\n%s", text)
	}
	net.down.Store(false)
	if err := s.Requests.Refresh(context.Background()); err != nil {
		t.Fatalf("after the outage: %v", err)
	}
}

// TestCompanyEvidenceNoteGoesActingForTheCompany: found trying the app as
// Līga acting for Baltic Timber SIA on her phone: the business service's
// page told her to ask for the company's evidence "acting for the
// company", which she was, its banner above. The note shows while she
// acts for herself only.
func TestCompanyEvidenceNoteGoesActingForTheCompany(t *testing.T) {
	w, sc := ligaOnServicePage(t, "lv-register-business")
	const aboutCompany = "About the company that applies"
	eventually(t, "the service page acting for herself", func() bool { return strings.Count(labels(sc.Navigation()), aboutCompany) == 2 })
	actingSwitcher(t, w).SetSelectedIndex(1) // Baltic Timber SIA
	eventually(t, "the page acting for the company", func() bool { return !strings.Contains(labels(sc.Navigation()), aboutCompany) })
}

// ligaOnServicePage signs Līga in, able to act for Baltic Timber SIA
// (acting for herself yet), and opens the page of service.
func ligaOnServicePage(t *testing.T, service string) (fyne.Window, *ServicesScreen) {
	t.Helper()
	world := newSignInWorld(t)
	ligaActsForHerCompany(t, world)
	test.Tap(navButtons(t, world.w)[TabServices])
	sc := servicesScreen(t, world.w)
	sc.OpenService(service)
	eventually(t, "the service page", func() bool { return strings.Contains(labels(sc.Navigation()), "Evidence needed") })
	return world.w, sc
}

// TestAMandateForOtherServicesSaysSoAtOnce: acting under a mandate for
// other services, Apply asked for the country and the service then
// refused the request ("Something went wrong"). The page's Apply says at
// once that the mandate does not cover the service.
func TestAMandateForOtherServicesSaysSoAtOnce(t *testing.T) {
	world := newSignInWorld(t)
	ligaActsForHerCompany(t, world, "lv-register-business")
	test.Tap(navButtons(t, world.w)[TabServices])
	sc := servicesScreen(t, world.w)
	actingSwitcher(t, world.w).SetSelectedIndex(1) // Baltic Timber SIA
	sc.OpenService("lv-employer-registration")
	eventually(t, "the service page", func() bool { return strings.Contains(labels(sc.Navigation()), "Evidence needed") })
	tapButton(t, world.w, "Apply")
	if text := dialogText(t, world.w); !strings.Contains(text, "Your mandate does not cover this service") {
		t.Fatalf("Apply said:\n%s", text)
	}
}
