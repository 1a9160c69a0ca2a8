package ui

import (
	"bytes"
	"context"
	"encoding/base64"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/app"
)

const proofOfBirth = "https://sr.oots.tech.europa.eu/requirements/0db2683a-c917-51d2-a0b3-08377a50bfba"

// portalHandoff asks the service's portal, signed out, to continue the
// birth-record request in the app, and returns the page's short code and
// the PNG of its QR code.
func portalHandoff(t *testing.T, s *app.Session) (code string, qr []byte) {
	t.Helper()
	resp, err := http.PostForm(s.About.ServiceURL+"/portal/services/lv-birth-certificate/continue", url.Values{"evidence": {proofOfBirth}, "country": {"LV"}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	m := regexp.MustCompile(`id="qr" src="data:image/png;base64,([^"]+)"`).FindSubmatch(page)
	c := regexp.MustCompile(`id="code"[^>]*>([^<]+)<`).FindSubmatch(page)
	if resp.StatusCode != http.StatusOK || m == nil || c == nil {
		t.Fatalf("portal answered %d:\n%s", resp.StatusCode, page)
	}
	qr, err = base64.StdEncoding.DecodeString(html.UnescapeString(string(m[1])))
	if err != nil {
		t.Fatal(err)
	}
	return string(c[1]), qr
}

// requestOpened checks that the requests destination shows a request page.
func requestOpened(t *testing.T, w fyne.Window) {
	t.Helper()
	if !navButtons(t, w)[TabRequests].selected {
		t.Fatal("the requests destination is not open")
	}
	if text := labels(w.Content()); !strings.Contains(text, "Request started") {
		t.Fatalf("the started request's page is not shown:\n%s", text)
	}
}

// TestTypedCodeOpensTheStartedRequest: the code shown under the portal's
// QR code, typed in the app, starts the request and opens its page; typed
// again it is refused with a sentence that says what to do.
func TestTypedCodeOpensTheStartedRequest(t *testing.T) {
	w, s := newApp(t, "en")
	code, _ := portalHandoff(t, s)
	enterCode := func(code string) {
		test.Tap(navButtons(t, w)[TabServices])
		tapButton(t, w, "Enter a code")
		overlay := w.Canvas().Overlays().Top()
		entries := find[*escapeEntry](overlay)
		if len(entries) != 1 {
			t.Fatalf("the code dialog has %d entries", len(entries))
		}
		test.Type(entries[0], code)
		for _, b := range find[*widget.Button](overlay) {
			if b.Text == "Continue" {
				test.Tap(b)
				return
			}
		}
		t.Fatal("no Continue button in the code dialog")
	}
	enterCode(strings.ToLower(code))
	requestOpened(t, w)
	keepScreenshot(t, w, "screenshot-after-redeeming.png")
	list, err := s.Requests.List.Get()
	if err != nil || len(list) != 1 {
		t.Fatalf("requests after redeeming: %d, %v", len(list), err)
	}

	enterCode(code)
	if msg := labels(w.Canvas().Overlays().Top()); !strings.Contains(msg, "already been used") {
		t.Fatalf("a reused code is not explained:\n%s", msg)
	}
	if list, _ := s.Requests.List.Get(); len(list) != 1 {
		t.Fatalf("a refused code started a request: %d", len(list))
	}
}

// TestQRPictureOpensTheStartedRequest: the portal's QR code, opened as a
// picture, starts the request and opens its page; a picture without a QR
// code is explained.
func TestQRPictureOpensTheStartedRequest(t *testing.T) {
	w, s := newApp(t, "en")
	sh := find[*ServicesScreen](w.Content())[0]
	_, qr := portalHandoff(t, s)
	redeemPicture(w, s, sh.onRequested, io.NopCloser(bytes.NewReader(qr)))
	requestOpened(t, w)

	redeemPicture(w, s, sh.onRequested, io.NopCloser(strings.NewReader("not a picture")))
	if msg := labels(w.Canvas().Overlays().Top()); !strings.Contains(msg, "not a PNG or JPEG") {
		t.Fatalf("a text file is not explained:\n%s", msg)
	}
}

// TestDirectLinksOpenTheirScreens: links in both forms open the services,
// a service page, a request page and the other destinations; a handoff
// link is redeemed and opens its request (the one under way for its
// evidence).
func TestDirectLinksOpenTheirScreens(t *testing.T) {
	w, s := newApp(t, "en")
	follow := func(link string) {
		t.Helper()
		if err := s.Links.Follow(link); err != nil {
			t.Fatalf("Follow(%q): %v", link, err)
		}
	}
	follow("vienreiz://inbox")
	if !navButtons(t, w)[TabInbox].selected {
		t.Fatal("vienreiz://inbox did not open the inbox")
	}
	follow(app.ServiceLink("lv-birth-certificate").Web(s.About.ServiceURL))
	if !navButtons(t, w)[TabServices].selected || servicesScreen(t, w).Navigation().Depth() != 1 {
		t.Fatal("the service link did not open the service page")
	}
	req := startRequest(t, s, "lv-birth-certificate", "LV")
	follow(app.RequestLink(req.ID).App())
	requestOpened(t, w)
	follow("vienreiz://profile")
	if !navButtons(t, w)[TabProfile].selected {
		t.Fatal("vienreiz://profile did not open the profile")
	}
	_, qr := portalHandoff(t, s)
	link, err := app.ReadQR(bytes.NewReader(qr))
	if err != nil {
		t.Fatal(err)
	}
	follow(link)
	requestOpened(t, w)
	// The link is for the birth record asked for above, under way: it
	// opens that request rather than asking again.
	if list, _ := s.Requests.List.Get(); len(list) != 1 {
		t.Fatalf("the handoff link made %d requests in all, want the one under way", len(list))
	}
	if err := s.Links.Follow("https://example.com/"); err == nil {
		t.Fatal("a foreign link was followed")
	}
}

// TestCopyLinkCopiesTheWebForm: "Copy link" on a request page puts the
// https form of the page's link on the clipboard.
func TestCopyLinkCopiesTheWebForm(t *testing.T) {
	w, s := newApp(t, "en")
	req := startRequest(t, s, "lv-birth-certificate", "LV")
	if err := s.Links.Follow(app.RequestLink(req.ID).App()); err != nil {
		t.Fatal(err)
	}
	tapButton(t, w, "Copy link")
	got := fyne.CurrentApp().Clipboard().Content()
	if got != s.About.ServiceURL+"/open/requests/"+req.ID {
		t.Fatalf("clipboard holds %q", got)
	}
	if l, err := app.ParseLink(got); err != nil || l != app.RequestLink(req.ID) {
		t.Fatalf("the copied link reads as %+v, %v", l, err)
	}
}

// TestSignedOutCodeCarriesOnAfterSignIn: signed out, a portal's code
// (typed, Enter sends it) or its QR picture asks to sign in and, once the
// person has, starts the request and opens it. Before, a problem said to
// sign in elsewhere and type the code again (found by trying the app).
func TestSignedOutCodeCarriesOnAfterSignIn(t *testing.T) {
	world := newSignInWorld(t)
	w, s := world.w, world.s
	code, qr := portalHandoff(t, s)
	test.Tap(navButtons(t, w)[TabServices])
	tapButton(t, w, "Enter a code")
	entries := find[*escapeEntry](w.Canvas().Overlays().Top())
	if len(entries) != 1 {
		t.Fatalf("the code dialog has %d entries", len(entries))
	}
	test.Type(entries[0], code)
	entries[0].TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	// It asks to sign in, and once signed in starts the request and opens it.
	signInAndOpen := func(what string, requests int) {
		t.Helper()
		eventually(t, "the question to sign in for the "+what, func() bool {
			return strings.Contains(dialogText(t, w), "Sign in")
		})
		tapIn(t, w.Canvas().Overlays().Top(), "Sign in")
		requestOpened(t, w)
		if list, _ := s.Requests.List.Get(); len(list) != requests {
			t.Fatalf("after sign-in the %s made %d requests in all, want %d", what, len(list), requests)
		}
	}
	signInAndOpen("code", 1)
	// Withdrawn, so that the picture's code for the same evidence starts
	// a request (while one is under way, it opens that one).
	list, _ := s.Requests.List.Get()
	if _, err := s.Requests.Cancel(context.Background(), list[0].(api.Request).ID); err != nil {
		t.Fatal(err)
	}

	test.Tap(find[*navButton](w.Content())[TabProfile])
	tapButton(t, w, "Sign out")
	test.Tap(navButtons(t, w)[TabServices])
	sh := find[*ServicesScreen](w.Content())[0]
	_, qr = portalHandoff(t, s)
	redeemPicture(w, s, sh.onRequested, io.NopCloser(bytes.NewReader(qr)))
	signInAndOpen("picture", 2)
}

// TestSignedOutHandoffLinkIsRedeemedOnce: a portal's link opened while
// signed out asks to sign in; after it the request is started once and
// opened, with no "already used" problem from a second redeem.
func TestSignedOutHandoffLinkIsRedeemedOnce(t *testing.T) {
	world := newSignInWorld(t)
	w, s := world.w, world.s
	_, qr := portalHandoff(t, s)
	link, err := app.ReadQR(bytes.NewReader(qr))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Links.Follow(link); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the question to sign in", func() bool { return strings.Contains(dialogText(t, w), "Sign in") })
	tapIn(t, w.Canvas().Overlays().Top(), "Sign in")
	requestOpened(t, w)
	if top := w.Canvas().Overlays().Top(); top != nil {
		t.Fatalf("after sign-in a dialog is left:\n%s", labels(top))
	}
	if list, _ := s.Requests.List.Get(); len(list) != 1 {
		t.Fatalf("the link started %d requests, want 1", len(list))
	}
}
