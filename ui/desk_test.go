package ui

import (
	"bytes"
	"context"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/app"
	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/oots/demonet"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// TestClerkDeskPostsAndDecides drives the clerk's desk against a real
// exchange service: the citizen's application is in the queue; the clerk
// opens it, posts a two-line message and approves it with reasons; the
// citizen reads both whole on the timeline.
func TestClerkDeskPostsAndDecides(t *testing.T) {
	w, _, citizen, _ := deskApp(t)
	req := appliesForBirth(t, citizen)
	buttons := find[*navButton](w.Content())
	if len(buttons) != 6 {
		t.Fatalf("a clerk has %d destinations, want 6 (with the desk)", len(buttons))
	}
	test.Tap(buttons[TabDesk])
	tapButton(t, w, "Reload")
	desk := find[*DeskScreen](w.Content())
	if len(desk) != 1 || len(desk[0].items) != 1 || desk[0].items[0].Request.ID != req.ID {
		t.Fatalf("the queue does not hold the citizen's application")
	}
	if it := desk[0].items[0]; !it.Unread || it.Overdue || !it.Due.IsZero() || !strings.Contains(it.Request.Citizen, "Bērziņš") { // no due date before the evidence
		t.Fatalf("queue item %+v", it)
	}
	desk[0].Queue.Select(0)
	if text := labels(w.Content()); !strings.Contains(text, "Jānis Bērziņš") || !strings.Contains(text, "Request started") {
		t.Fatalf("the application page:\n%s", text)
	}
	if len(find[*wheelLayer](w.Content())) == 0 { // TestWheelScrollsAFormOverItsFields
		t.Fatal("the application page's fields keep the mouse wheel from the page")
	}
	say := func(text, button string) {
		t.Helper()
		entries := find[*widget.Entry](w.Content())
		var msg *widget.Entry
		for _, e := range entries {
			if e.MultiLine {
				msg = e
			}
		}
		if msg == nil {
			t.Fatal("no message field on the application page")
		}
		msg.SetText(text)
		tapButton(t, w, button)
	}
	message := "Your application is being reviewed.\nWe will write again by Friday."
	say(message, "Post status")
	reasons := "Approved: the birth record from Latvia proves the name and date of birth."
	say(reasons, "Approve")

	mine, err := citizen.Request(context.Background(), req.ID)
	if err != nil {
		t.Fatal(err)
	}
	n := len(mine.Timeline)
	if n < 2 || mine.Timeline[n-2].Event != "status_posted" || mine.Timeline[n-2].Detail != message ||
		mine.Timeline[n-1].Event != "application_approved" || mine.Timeline[n-1].Detail != reasons {
		t.Fatalf("the citizen's timeline ends with %+v", mine.Timeline[max(0, n-2):])
	}
	tapBack(t, w.Content())
	desk = find[*DeskScreen](w.Content())
	if it := desk[0].items[0]; it.Unread || !it.Decided {
		t.Fatal("the approved application is still marked unread, or not decided")
	}
	for filter, want := range map[string]int{"Not decided": 0, "Decided": 1, "Unread": 0, "All applications": 1} {
		desk[0].Filter.SetSelected(filter)
		if len(desk[0].items) != want {
			t.Errorf("the queue showing %q holds %d applications, want %d", filter, len(desk[0].items), want)
		}
	}
}

// TestDeskSaysTheDecision: after Jānis approved Mari's study grant, the
// page opened again at its top with the state "Delivered" and nothing
// of the decision but a line at the end of the timeline, and Approve and
// Refuse waited as before: a second tap decided again, unasked (found by
// trying the desk). The page says the decision with its time, or by when
// one is expected; deciding again asks first, naming the decision taken.
func TestDeskSaysTheDecision(t *testing.T) {
	w, _, citizen, _ := deskApp(t)
	req := deliveredForACompany(t, citizen)
	openApplication(t, w)
	eventually(t, "the application's page", func() bool { return strings.Contains(labels(w.Content()), "Decision expected by") })
	say := func(text, button string) {
		t.Helper()
		for _, e := range find[*widget.Entry](w.Content()) {
			if e.MultiLine {
				e.SetText(text)
			}
		}
		tapButton(t, w, button)
	}
	say("Approved.", "Approve")
	decided, err := citizen.Request(context.Background(), req.ID)
	if err != nil {
		t.Fatal(err)
	}
	at := decided.Timeline[len(decided.Timeline)-1].At
	want := "Approved on " + formatTime(at)
	eventually(t, "the decision on the page", func() bool { return strings.Contains(labels(w.Content()), want) })
	say("Refused after all.", "Refuse")
	top := w.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(labels(top), "This application was approved on "+formatTime(at)) {
		t.Fatalf("deciding again does not ask first: %v", top != nil)
	}
	tapIn(t, top, "Refuse")
	eventually(t, "the new decision", func() bool { return strings.Contains(labels(w.Content()), "Refused on ") })
}

// TestRequestPageSaysTheDecision: the citizen's request page kept saying
// "Decision expected by …" after the clerk had decided; the decision was
// a line at the end of the timeline. It says the decision with its time.
func TestRequestPageSaysTheDecision(t *testing.T) {
	_, _, citizen, mine := deskApp(t)
	req := deliveredForACompany(t, citizen)
	decided, err := citizen.WithToken("clerk").PostStatusChange(context.Background(), req.ID, api.StatusChange{Message: "Refused: the extract is out of date.", Decision: api.DecisionRefused})
	if err != nil {
		t.Fatal(err)
	}
	w := test.NewTempWindow(t, widget.NewLabel(""))
	Build(w, mine)
	w.Resize(fyne.NewSize(1000, 800))
	openRequest(t, w, req.ID)
	want := "Refused on " + formatTime(decided.Timeline[len(decided.Timeline)-1].At)
	eventually(t, "the decision on the request page", func() bool { return strings.Contains(labels(w.Content()), want) })
	if strings.Contains(labels(w.Content()), "Decision expected by") {
		t.Fatalf("the decided request's page still expects a decision:\n%s", labels(w.Content()))
	}
}

// deskApp starts a real exchange service and builds the app for its demo
// clerk in a test window; it returns the clerk's window and session, a
// client of the demo citizen, and the citizen's session on the same
// service (for the citizen's screens).
func deskApp(t *testing.T) (fyne.Window, *app.Session, *client.Client, *app.Session) {
	t.Helper()
	return deskAppIn(t, "en")
}

// deskAppIn is deskApp with both apps in language.
func deskAppIn(t *testing.T, language string) (fyne.Window, *app.Session, *client.Client, *app.Session) {
	t.Helper()
	return deskAppThrough(t, language, func(service string) string { return service })
}

// deskAppThrough is deskAppIn with the clerk's app reaching the service
// at the address front gives for the service's.
func deskAppThrough(t *testing.T, language string, front func(service string) string) (fyne.Window, *app.Session, *client.Client, *app.Session) {
	t.Helper()
	test.NewTempApp(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := exchange.Start(context.Background(), exchange.Config{DataDir: t.TempDir(), Logger: log, Network: demonet.Embedded{},
		Auth: exchange.BearerTokens{"citizen": exchange.DemoCitizen(), "clerk": exchange.DemoClerk(),
			"ieva":  {Subject: "LV/LV/02028554321", GivenName: "Ieva", FamilyName: "Kalniņa", DateOfBirth: "1985-02-02"},
			"admin": {Subject: "LV/LV/05058012121", GivenName: "Pēteris", FamilyName: "Admins", Role: exchange.RoleAdministrator}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(context.Background()) })
	session := func(url, token string) *app.Session {
		s := app.NewSession(client.New(url).WithToken(token), memPrefs{"language": language}, app.About{ServiceURL: url}, log)
		runInPlace(t, s)
		return s
	}
	s := session(front(srv.URL()), "clerk")
	s.Clerk = true
	w := test.NewTempWindow(t, widget.NewLabel(""))
	Build(w, s)
	w.Resize(fyne.NewSize(1000, 800))
	return w, s, client.New(srv.URL()).WithToken("citizen"), session(srv.URL(), "citizen")
}

// appliesForBirth has citizen apply for a birth certificate from Latvia
// (the civil registry's service, on the demo clerk's desk) and returns the
// request.
func appliesForBirth(t *testing.T, citizen *client.Client) *api.Request {
	t.Helper()
	r, err := citizen.CreateRequest(context.Background(), api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// companyRegistration is the requirement of a company's proof of
// registration, which the Register of Enterprises' services ask for.
const companyRegistration = "https://sr.oots.tech.europa.eu/requirements/d8237836-055a-5ad1-a8a2-104614ee0ad5"

// forACompany has the administrator register a mandate for the citizen of
// deskApp to act for a company, and returns its id: the Register of
// Enterprises' services ask for evidence about a company.
func forACompany(t *testing.T, citizen *client.Client) string {
	t.Helper()
	m, err := citizen.WithToken("admin").GiveMandate(context.Background(), api.NewMandate{Representative: exchange.DemoCitizen().Subject,
		RepresentativeName: "Jānis Bērziņš", Represented: "LV/LV/40003012345", RepresentedName: "Baltic Timber SIA", ValidUntil: time.Now().AddDate(1, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	return m.ID
}

// TestDeskShowsTheRepresentative: an application made under a mandate
// shows the citizen it is for and the representative who made it.
func TestDeskShowsTheRepresentative(t *testing.T) {
	w, clerk, citizen, _ := deskApp(t)
	ctx := context.Background()
	m, err := citizen.GiveMandate(ctx, api.NewMandate{Representative: "LV/LV/02028554321", RepresentativeName: "Ieva Kalniņa",
		Services: []string{"lv-birth-certificate"}, ValidUntil: time.Now().AddDate(1, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	ieva := client.New(clerk.About.ServiceURL).WithToken("ieva")
	if _, err := ieva.CreateRequest(ctx, api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV", MandateID: m.ID}); err != nil {
		t.Fatal(err)
	}
	openApplication(t, w)
	text := labels(w.Content())
	for _, want := range []string{"Jānis Bērziņš (LV/LV/01019012345)", "Representative (under a mandate)", "Ieva Kalniņa (LV/LV/02028554321)"} {
		if !strings.Contains(text, want) {
			t.Fatalf("the application page lacks %q:\n%s", want, text)
		}
	}
}

// openApplication opens the desk and the page of the queue's only
// application.
func openApplication(t *testing.T, w fyne.Window) *DeskScreen {
	t.Helper()
	test.Tap(find[*navButton](w.Content())[TabDesk])
	tapButton(t, w, "Reload")
	desk := find[*DeskScreen](w.Content())
	if len(desk) != 1 || len(desk[0].items) != 1 {
		t.Fatalf("the queue does not hold the one application")
	}
	desk[0].Queue.Select(0)
	return desk[0]
}

// TestClerkDeskAsksForEvidenceAndAttachesTheResult drives the two clerk
// actions against a real exchange service. Asking for a proof of birth
// gives the citizen a request of their own that names the civil registry
// and waits for their confirmation. Attaching the decision as a PDF puts
// it in the citizen's wallet, issued by the civil registry; a text file is
// refused with a sentence saying why and attaches nothing. The citizen's
// request page shows the clerk's message whole under the institution's
// name. The ledger trail names the applicant by name as the rest of the
// page does (it gave the identifier alone).
func TestClerkDeskAsksForEvidenceAndAttachesTheResult(t *testing.T) {
	w, _, citizen, mine := deskApp(t)
	ctx := context.Background()
	req := appliesForBirth(t, citizen)
	if _, err := citizen.GiveMandate(ctx, api.NewMandate{Representative: "LV/LV/02028554321", RepresentativeName: "Ieva Kalniņa",
		Services: []string{"lv-birth-certificate"}, ValidUntil: time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	desk := openApplication(t, w)
	if text := labels(w.Content()); !strings.Contains(text, "Ieva Kalniņa (LV/LV/02028554321) may act for Jānis Bērziņš (LV/LV/01019012345) in this service") {
		t.Fatalf("the application page does not show the mandate:\n%s", text)
	}

	selects := find[*widget.Select](w.Content())
	if len(selects) != 2 {
		t.Fatalf("the ask form has %d choices, want evidence and country", len(selects))
	}
	tapButton(t, w, "Ask the applicant")
	if text := dialogText(t, w); !strings.Contains(text, "Choose the evidence and the country first.") {
		t.Fatalf("asking with nothing chosen shows %q", text)
	}
	w.Canvas().Overlays().Top().Hide()
	selects[0].SetSelected("Proof of birth · asked for") // the application's own, asked again
	if !slices.Contains(selects[1].Options, "Latvia") || !slices.IsSorted(selects[1].Options) {
		t.Fatalf("countries offered for a proof of birth, by name: %v", selects[1].Options)
	}
	selects[1].SetSelected("Latvia")
	message := "Your application needs a proof of birth.\nPlease confirm the request in your app."
	for _, e := range find[*widget.Entry](w.Content()) {
		if e.MultiLine {
			e.SetText(message)
		}
	}
	// From Latvia it is the application itself, under way: asked once.
	tapButton(t, w, "Ask the applicant")
	if text := dialogText(t, w); !strings.Contains(text, "already has a request for this evidence under way") {
		t.Fatalf("asking for the evidence the application is fetching shows %q", text)
	}
	w.Canvas().Overlays().Top().Hide()
	if list, err := citizen.Requests(ctx); err != nil || len(list) != 1 {
		t.Fatalf("after the refused ask the citizen has %d requests (%v), want the application alone", len(list), err)
	}
	// The form keeps what the clerk chose and wrote.
	if selects[0].Selected == "" || selects[1].Selected != "Latvia" || !slices.ContainsFunc(find[*widget.Entry](w.Content()), func(e *widget.Entry) bool { return e.Text == message }) {
		t.Fatalf("after the refused ask the form is %q, %q without the message", selects[0].Selected, selects[1].Selected)
	}
	selects[1].SetSelected("Estonia")
	tapButton(t, w, "Ask the applicant")
	list, err := citizen.Requests(ctx)
	if err != nil || len(list) != 2 {
		t.Fatalf("the citizen has %d requests (%v), want the application and the asked one", len(list), err)
	}
	asked := list[0]
	if asked.ID == req.ID {
		asked = list[1]
	}
	if asked.AskedBy == nil || asked.AskedBy.ID != "LV-DZS" || asked.ForApplication != req.ID || asked.State != "ready" {
		t.Fatalf("the asked request: %+v", asked)
	}
	if text := labels(w.Content()); !strings.Contains(text, "Civil registry office: More evidence asked for") || !strings.Contains(text, message) {
		t.Fatalf("the application page after the ask:\n%s", text)
	}

	// The citizen's page of the asked request: the institution, its words
	// whole, and the explicit request still to give.
	cw := test.NewTempWindow(t, widget.NewLabel(""))
	Build(cw, mine)
	cw.Resize(fyne.NewSize(1000, 800))
	if err := mine.Links.Follow(app.RequestLink(asked.ID).App()); err != nil {
		t.Fatal(err)
	}
	text := labels(cw.Content())
	for _, want := range []string{"Civil registry office asks for this evidence", "Civil registry office: More evidence asked for", message} {
		if !strings.Contains(text, want) {
			t.Fatalf("the citizen's page of the asked request lacks %q:\n%s", want, text)
		}
	}

	// The result document: refused while the evidence is still to come,
	// refused as text, attached as a PDF once the evidence came.
	if _, err := citizen.GiveExplicitRequest(ctx, req.ID); err != nil {
		t.Fatal(err)
	}
	deliverAsCitizen(t, citizen, req.ID)
	desk.Reload()
	seen, err := citizen.Request(ctx, req.ID)
	if err != nil || seen.DecisionBy == nil {
		t.Fatalf("the citizen sees no decision date (%v)", err)
	}
	for _, it := range desk.items {
		if it.Request.ID == req.ID && !it.Due.Equal(*seen.DecisionBy) {
			t.Fatalf("the desk's due date %s is not the citizen's decision date %s", it.Due, *seen.DecisionBy)
		}
	}
	desk.Open(req.ID)
	var title *widget.Entry
	for _, e := range find[*widget.Entry](w.Content()) {
		if e.PlaceHolder == "Document title" {
			title = e
		}
	}
	if title == nil {
		t.Fatal("no title field for the result document")
	}
	title.SetText("Decision on your application")
	desk.chooseFile = func(_ fyne.Window, got func([]byte, error)) { got([]byte("Approved."), nil) }
	tapButton(t, w, "Attach a file…")
	if text := dialogText(t, w); !strings.Contains(text, "must be a PDF, PNG or JPEG") {
		t.Fatalf("a text file as the result shows %q", text)
	}
	w.Canvas().Overlays().Top().Hide()
	pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
	desk.chooseFile = func(_ fyne.Window, got func([]byte, error)) { got(pdf, nil) }
	tapButton(t, w, "Attach a file…")
	docs, err := citizen.Documents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var results []api.Document
	for _, d := range docs {
		if d.Issuer != nil {
			results = append(results, d)
		}
	}
	if len(results) != 1 || results[0].Issuer.ID != "LV-DZS" || results[0].Title["EN"] != "Decision on your application" || results[0].File.Size != int64(len(pdf)) {
		t.Fatalf("the citizen's result documents: %+v", results)
	}
	text = labels(w.Content())
	for _, want := range []string{"Decision on your application (PDF document, ", "Ledger trail", "Explicit request given · by Jānis Bērziņš (LV/LV/01019012345)",
		"Evidence delivered · by the exchange service", "Result document attached · by LV/LV/clerk0001\nDecision on your application (sha256 "} {
		if !strings.Contains(text, want) {
			t.Fatalf("the application page lacks %q:\n%s", want, text)
		}
	}
}

// deliverAsCitizen takes request id, whose explicit request was given,
// through the preview to delivery.
func deliverAsCitizen(t *testing.T, c *client.Client, id string) {
	t.Helper()
	ctx := context.Background()
	waitState(t, c, id, "preview_required")
	if _, err := c.OpenPreview(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DecidePreview(ctx, id, "approve"); err != nil {
		t.Fatal(err)
	}
	waitState(t, c, id, "delivered")
}

// waitState waits up to 20 s for request id, as c reads it, to reach
// state, and returns it.
func waitState(t *testing.T, c *client.Client, id, state string) *api.Request {
	t.Helper()
	for range 400 {
		if r, err := c.Request(context.Background(), id); err == nil && r.State == state {
			return r
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("request %s did not reach %s", id, state)
	return nil
}

// TestDeskAsksTheClerkToSignIn: signed out, the desk offers sign-in and
// reads no queue (it once showed "Something went wrong"); once the clerk
// has signed in, the queue of their institution is read.
func TestDeskAsksTheClerkToSignIn(t *testing.T) {
	world := newSignInWorldAs(t, true)
	w := world.w
	test.Tap(find[*navButton](w.Content())[TabDesk])
	if text := labels(w.Content()); !strings.Contains(text, "Sign in with your clerk's account") || len(find[*DeskScreen](w.Content())) != 0 ||
		strings.Contains(text, "Something went wrong") {
		t.Fatalf("the signed-out desk shows:\n%s", text)
	}
	world.setUser("anna") // a clerk of the Register of Enterprises
	tapIn(t, w.Content(), "Sign in")
	eventually(t, "the queue after the clerk's sign-in", func() bool {
		desk := find[*DeskScreen](w.Content())
		return len(desk) == 1 && desk[0].count.Text == deskEmpty
	})
	// An empty queue says why: nobody applied yet, or nothing matches.
	desk := find[*DeskScreen](w.Content())[0]
	desk.Search.SetText("Bērziņš")
	desk.Reload()
	eventually(t, "the queue searched", func() bool { return desk.count.Text == "No application matches the search or the filter." })
}

// deskEmpty is what an empty work queue says.
const deskEmpty = "No applications yet: they appear here when people apply for your institution's services."

// TestClerkHandsTheCaseToTheCitizensPhone: on the application page the
// clerk shows a QR code; the citizen's phone reads it and opens the same
// request, with nothing new started.
func TestClerkHandsTheCaseToTheCitizensPhone(t *testing.T) {
	w, _, citizen, phone := deskApp(t)
	ctx := context.Background()
	req := appliesForBirth(t, citizen)
	openApplication(t, w)
	tapButton(t, w, "Hand to the applicant's phone")
	top := w.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(labels(top), "The same application opens there") {
		t.Fatalf("no pairing dialog")
	}
	images := find[*canvas.Image](top)
	if len(images) != 1 || images[0].Resource == nil {
		t.Fatal("the pairing dialog shows no QR code")
	}
	link, err := app.ReadQR(bytes.NewReader(images[0].Resource.Content()))
	if err != nil {
		t.Fatal(err)
	}
	pw := test.NewTempWindow(t, widget.NewLabel(""))
	Build(pw, phone)
	pw.Resize(fyne.NewSize(400, 800))
	if err := phone.Links.Follow(link); err != nil {
		t.Fatal(err)
	}
	if text := labels(pw.Content()); !strings.Contains(text, "Request started") || !strings.Contains(text, "Civil registry office") && !strings.Contains(text, "Latvia") {
		t.Fatalf("the phone does not show the request:\n%s", text)
	}
	if list, err := citizen.Requests(ctx); err != nil || len(list) != 1 || list[0].ID != req.ID {
		t.Fatalf("after the pairing the citizen has %d requests (%v)", len(list), err)
	}
}

// keepScreenshot writes the window's picture to $VIENREIZ_SCREENSHOTS/name
// when that folder is set (docs/ screenshots are made this way).
func keepScreenshot(t *testing.T, w fyne.Window, name string) {
	t.Helper()
	dir := os.Getenv("VIENREIZ_SCREENSHOTS")
	if dir == "" {
		return
	}
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, w.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}

// TestDeskBarKeepsOneLine: the queue's search, filter and buttons stay
// one line high at desktop width (a wrapping button label squeezed into
// the bar once made it 165 px tall, its text one letter a line).
func TestDeskBarKeepsOneLine(t *testing.T) {
	w, _, _, _ := deskApp(t)
	test.Tap(find[*navButton](w.Content())[TabDesk])
	desk := find[*DeskScreen](w.Content())
	if len(desk) != 1 {
		t.Fatal("no desk")
	}
	search := desk[0].Search
	if h, one := search.Size().Height, search.MinSize().Height; h > one*1.5 {
		t.Fatalf("the search box is %.0f high, one line is %.0f", h, one)
	}
	for _, b := range find[*widget.Button](w.Content()) {
		if b.Text == "Feedback" && b.Size().Height > search.MinSize().Height*1.5 {
			t.Fatalf("the Feedback button is %.0f high", b.Size().Height)
		}
	}
}

// TestClerksSignInBringsTheDesk: the desk's destination is there while a
// clerk is signed in, from the role in their ID token, and goes when
// they sign out; a citizen's sign-in does not bring it. Found by trying
// the app: Anna Ozola, a clerk, signed in and saw only "My evidence
// requests"; the desk came only with VIENREIZ_DESK=1 in the app's
// environment, which nothing documented.
func TestClerksSignInBringsTheDesk(t *testing.T) {
	world := newSignInWorldAs(t, false)
	w := world.w
	visible := func() int { return len(find[*navButton](w.Content())) }
	if n := visible(); n != 5 {
		t.Fatalf("signed out: %d destinations, want the 5 without the desk", n)
	}
	world.signInAs(t, "anna") // a clerk of the Register of Enterprises
	eventually(t, "the desk after a clerk's sign-in", func() bool { return visible() == 6 })
	test.Tap(find[*navButton](w.Content())[TabDesk])
	eventually(t, "the clerk's queue", func() bool {
		desk := find[*DeskScreen](w.Content())
		return len(desk) == 1 && desk[0].count.Text == deskEmpty
	})
	test.Tap(find[*navButton](w.Content())[TabProfile])
	tapButton(t, w, "Sign out")
	eventually(t, "the desk to go at sign-out", func() bool { return visible() == 5 })
	world.signInAs(t, "janis") // a citizen
	if n := visible(); n != 5 {
		t.Fatalf("a citizen signed in: %d destinations, want 5", n)
	}
	if err := world.s.Links.Follow("vienreiz://desk"); err == nil && len(find[*DeskScreen](w.Content())) != 0 {
		t.Fatal("a desk link opened the desk for a citizen")
	}

	// Mari's token names no role; an administrator makes her a clerk of
	// the civil registry, and her next sign-in brings the desk.
	mari := demoPerson(t, "mari")
	if _, err := personClient(t, world, "admin").AssignRole(context.Background(), api.RoleAssignment{Subject: mari.Identifier, Role: api.RoleClerk, Institution: "LV-DZS"}); err != nil {
		t.Fatal(err)
	}
	test.Tap(find[*navButton](w.Content())[TabProfile])
	tapButton(t, w, "Sign out")
	world.signInAs(t, "mari")
	eventually(t, "the desk of a clerk an administrator assigned", func() bool { return visible() == 6 })
}

// TestDeskFilterShowsItsChoiceWhole: the desk's filter, in a row with
// room to spare, shows the chosen filter's name whole; it was cut to
// "All applicat…" in a window 1,000 wide (found by trying the desk).
func TestDeskFilterShowsItsChoiceWhole(t *testing.T) {
	w, _, _, _ := deskApp(t)
	test.Tap(find[*navButton](w.Content())[TabDesk])
	desks := find[*DeskScreen](w.Content())
	if len(desks) != 1 {
		t.Fatal("no desk")
	}
	filter := desks[0].Filter
	for _, text := range find[*canvas.Text](filter) {
		if strings.Contains(text.Text, "…") {
			t.Errorf("the filter shows %q (of %q), %.0f px wide", text.Text, filter.Selected, filter.Size().Width)
		}
	}
}

// TestAClerksRequestsAreTheirOwn: a clerk's Requests destination listed
// the institution's applications as the clerk's own ("Your and your
// institution's requests", each "Waiting for your explicit request"), a
// service page named a citizen's request as the clerk's, and its "I
// request this evidence" answered "This item no longer exists" (found as
// a clerk of a busy institution). The destination lists the clerk's own
// requests under a citizen's title; the citizen's application is on the
// desk.
func TestAClerksRequestsAreTheirOwn(t *testing.T) {
	w, s, citizen, _ := deskApp(t)
	ctx := context.Background()
	application := appliesForBirth(t, citizen)
	own, err := s.Requests.Create(ctx, "lv-birth-certificate", proofOfBirth, "LV")
	if err != nil {
		t.Fatal(err)
	}
	test.Tap(find[*navButton](w.Content())[TabRequests])
	screens := find[*RequestsScreen](w.Content())
	if len(screens) != 1 || screens[0].nav.Title() != "My evidence requests" {
		t.Fatal("the clerk's requests are not titled as anyone's")
	}
	if err := s.Requests.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if n := screens[0].list.Length(); n != 1 {
		t.Fatalf("the clerk's requests list %d rows, want their own %s alone (the citizen's is %s)", n, own.ID, application.ID)
	}
	if text := labels(screens[0].list); strings.Contains(text, "Bērziņš") {
		t.Fatalf("the clerk's requests show the citizen's:\n%s", text)
	}
	test.Tap(find[*navButton](w.Content())[TabDesk])
	tapButton(t, w, "Reload")
	desk := find[*DeskScreen](w.Content())
	if len(desk) != 1 || !slices.ContainsFunc(desk[0].items, func(it app.DeskItem) bool { return it.Request.ID == application.ID }) {
		t.Fatal("the desk does not hold the citizen's application")
	}
}

// TestDeskSaysWhenNoEvidenceWillCome: an application whose evidence
// request ended without evidence (here the citizen withdrew it; found
// with a provider that did not know the citizen) said "due date once the
// evidence has come" in the queue and "No evidence has been delivered
// yet" on its page, as if it would still come.
func TestDeskSaysWhenNoEvidenceWillCome(t *testing.T) {
	w, _, citizen, _ := deskApp(t)
	ctx := context.Background()
	req := appliesForBirth(t, citizen)
	if _, err := citizen.CancelRequest(ctx, req.ID); err != nil {
		t.Fatal(err)
	}
	test.Tap(find[*navButton](w.Content())[TabDesk])
	tapButton(t, w, "Reload")
	queue := labels(find[*DeskScreen](w.Content())[0].Queue)
	if !strings.Contains(queue, "no evidence will come: the request ended") {
		t.Errorf("the queue does not say that no evidence will come:\n%s", queue)
	}
	openApplication(t, w)
	page := labels(w.Content())
	if !strings.Contains(page, "No evidence was delivered: the request ended.") {
		t.Errorf("the application's page does not say that no evidence came:\n%s", page)
	}
	for _, text := range []string{queue, page} {
		for _, wrong := range []string{"once the evidence has come", "delivered yet"} {
			if strings.Contains(text, wrong) {
				t.Errorf("an ended request says %q:\n%s", wrong, text)
			}
		}
	}
}

// TestDeskSaysARequestWasAskedAgain: a request the applicant asked
// again later (Mari refused one income statement and asked another
// country) said "no evidence will come", as if the application had to be
// decided without it (found by trying the desk). It says it was asked
// again, and the newer request stands beside it.
func TestDeskSaysARequestWasAskedAgain(t *testing.T) {
	w, _, citizen, _ := deskApp(t)
	ctx := context.Background()
	ask := api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"}
	first, err := citizen.CreateRequest(ctx, ask)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := citizen.CancelRequest(ctx, first.ID); err != nil {
		t.Fatal(err)
	}
	ask.Country = "EE"
	if _, err := citizen.CreateRequest(ctx, ask); err != nil {
		t.Fatal(err)
	}
	test.Tap(find[*navButton](w.Content())[TabDesk])
	tapButton(t, w, "Reload")
	queue := labels(find[*DeskScreen](w.Content())[0].Queue)
	if !strings.Contains(queue, "asked again: see the newer request") || strings.Contains(queue, "no evidence will come") {
		t.Errorf("the queue does not say the request was asked again:\n%s", queue)
	}
}

// TestDeskNamesTheProblem: when the evidence request failed, the clerk
// saw only "Error" and the provider's words ("Object not found") in the
// timeline, and not the OOTS code the citizen was given (found with a
// provider that did not know the citizen). The application's page names
// the code with the words of whoever refused (here the Evidence Broker),
// and opens the help page the citizen was pointed to.
func TestDeskNamesTheProblem(t *testing.T) {
	w, _, citizen, _ := deskApp(t)
	req, err := citizen.CreateRequest(context.Background(), api.NewRequest{ServiceID: "lv-register-business", Requirement: companyRegistration,
		Country: "FI", MandateID: forACompany(t, citizen)})
	if err != nil || req.ErrorCode != "EB:ERR:0001" {
		t.Fatalf("the request did not fail with EB:ERR:0001: %+v, %v", req, err)
	}
	openApplication(t, w)
	page := labels(w.Content())
	if want := "EB:ERR:0001: " + req.Problem; req.Problem == "" || !strings.Contains(page, want) {
		t.Fatalf("the application's page does not name the problem %q:\n%s", want, page)
	}
	tapButton(t, w, "What the applicant was told")
	if text := dialogText(t, w); !strings.Contains(text, "This evidence is not registered for that country") {
		t.Fatalf("the help the citizen was pointed to is not shown:\n%s", text)
	}
}

// TestDeskMessageGrowsWithItsText: the desk's message of a few paragraphs
// showed three lines of them, and its text could be scrolled only by
// moving the cursor, as the page of forms takes the mouse wheel. The
// field grows with its text, whole lines and wrapped ones, and shrinks
// back.
func TestDeskMessageGrowsWithItsText(t *testing.T) {
	w, _, citizen, _ := deskApp(t)
	appliesForBirth(t, citizen)
	openApplication(t, w)
	var message *widget.Entry
	for _, e := range find[*widget.Entry](w.Content()) {
		if e.MultiLine {
			message = e
		}
	}
	if message == nil {
		t.Fatal("no message field on the application's page")
	}
	empty := message.Size().Height
	line := fyne.MeasureText("M", theme.TextSize(), fyne.TextStyle{}).Height
	message.SetText(strings.Repeat("A paragraph of the decision.\n", 11) + strings.Repeat("a long line that wraps ", 40))
	if got, want := message.Size().Height, empty+10*line; got < want {
		t.Fatalf("with 11 lines and a long wrapped one the field is %.0f high (%.0f empty), want at least %.0f", got, empty, want)
	}
	message.SetText("")
	if got := message.Size().Height; got > empty+1 {
		t.Fatalf("emptied, the field stays %.0f high (%.0f before)", got, empty)
	}
}

// TestDeskNamesAnApplicationByItsEvidence: an application whose look-up
// failed before the Evidence Broker named an evidence type (EB:ERR:0001:
// the country holds none) was titled "Evidence" on the desk; its page
// names the service's evidence, as the citizen's page does.
func TestDeskNamesAnApplicationByItsEvidence(t *testing.T) {
	w, _, citizen, _ := deskApp(t)
	req, err := citizen.CreateRequest(context.Background(), api.NewRequest{ServiceID: "lv-register-business", Requirement: companyRegistration,
		Country: "FI", MandateID: forACompany(t, citizen)})
	if err != nil || req.State != "failed" || req.ErrorCode != "EB:ERR:0001" {
		t.Fatalf("a request to Finland: %+v, %v", req, err)
	}
	desk := openApplication(t, w)
	if row := labels(desk.Queue); strings.Contains(row, "Evidence ·") || !strings.Contains(row, "Proof of registration of a company") {
		t.Errorf("the queue's row is not named by the evidence:\n%s", row)
	}
	eventually(t, "the application's page", func() bool { return desk.nav.Depth() == 1 })
	if title := desk.nav.Title(); title == "Evidence" || !strings.Contains(strings.ToLower(title), "registration") {
		t.Fatalf("the application's page is titled %q", title)
	}
}

// TestDeskNamesTheApplicantAndTheOtherServices: a company's application
// showed the company as "Citizen", and its timeline's last step listed the
// other services the evidence serves by their identifiers
// ("lv-employer-registration,ee-business-activity"; found trying the desk
// with make run). The page says "Applicant" and names the services.
func TestDeskNamesTheApplicantAndTheOtherServices(t *testing.T) {
	w, _, citizen, _ := deskApp(t)
	deliveredForACompany(t, citizen)
	openApplication(t, w)
	page := labels(w.Content())
	for _, want := range []string{"Applicant", "Baltic Timber SIA", "Register as an employer, Notify a business activity in Estonia"} {
		if !strings.Contains(page, want) {
			t.Errorf("the application's page does not say %q:\n%s", want, page)
		}
	}
	for _, wrong := range []string{"Citizen", "lv-employer-registration"} {
		if strings.Contains(page, wrong) {
			t.Errorf("the application's page says %q:\n%s", wrong, page)
		}
	}
}

// TestDeskQueueNamesTheService: the queue's rows named the evidence, the
// applicant and the due date but not the service applied for, and the
// search ("by applicant, service or state") matched the service's
// identifier only (found trying the desk with make run). Rows name the
// service, and its name in either language and the state as shown find
// the application.
func TestDeskQueueNamesTheService(t *testing.T) {
	w, _, citizen, _ := deskApp(t)
	if _, err := citizen.CreateRequest(context.Background(), api.NewRequest{ServiceID: "lv-register-business", Requirement: companyRegistration,
		Country: "LV", MandateID: forACompany(t, citizen)}); err != nil {
		t.Fatal(err)
	}
	test.Tap(find[*navButton](w.Content())[TabDesk])
	tapButton(t, w, "Reload")
	desk := find[*DeskScreen](w.Content())[0]
	for _, q := range []struct {
		text string
		want int
	}{{"business activity", 1}, {"saimniecisko darbibu", 1}, {"ready", 1}, {"pension", 0}, {"", 1}} {
		desk.Search.SetText(q.text)
		eventually(t, "the queue for "+q.text, func() bool { return len(desk.items) == q.want })
	}
	eventually(t, "the row naming the service", func() bool {
		return strings.Contains(labels(desk.Queue), "Register a business activity · Baltic Timber SIA")
	})
}

// deliveredForACompany has the citizen of deskApp, acting for a company,
// ask for its proof of registration and take it to delivery; it returns
// the request.
func deliveredForACompany(t *testing.T, citizen *client.Client) *api.Request {
	t.Helper()
	req, err := citizen.CreateRequest(context.Background(), api.NewRequest{ServiceID: "lv-register-business", Requirement: companyRegistration,
		Country: "LV", MandateID: forACompany(t, citizen)})
	if err != nil {
		t.Fatal(err)
	}
	waitState(t, citizen, req.ID, "ready")
	if _, err := citizen.GiveExplicitRequest(context.Background(), req.ID); err != nil {
		t.Fatal(err)
	}
	deliverAsCitizen(t, citizen, req.ID)
	return req
}

// TestDeskOpensTheEvidence: the application's page listed the evidence
// received by its type and SHA-256, with no way to read it (found trying
// the desk with make run). Open writes the checked document to the cache
// folder and hands it to the system's viewer: the bytes the citizen was
// delivered.
func TestDeskOpensTheEvidence(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	w, _, citizen, _ := deskApp(t)
	req := deliveredForACompany(t, citizen)
	desk := openApplication(t, w)
	var opened string
	desk.openURL = func(u *url.URL) error { opened = u.Path; return nil }
	eventually(t, "the application's page", func() bool { return desk.nav.Depth() == 1 })
	if buttonCount(w.Content(), "Save a copy…") != 1 { // what the no-viewer message offers
		t.Error("the evidence has no Save a copy…")
	}
	tapButton(t, w, "Open")
	eventually(t, "the document handed to the viewer", func() bool { return opened != "" })
	got, err := os.ReadFile(opened)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := citizen.Evidence(context.Background(), req.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Body.Close()
	want, _ := io.ReadAll(doc.Body)
	if len(want) == 0 || !bytes.Equal(got, want) || !strings.HasSuffix(opened, ".pdf") {
		t.Fatalf("opened %s (%d bytes), the citizen's document has %d", opened, len(got), len(want))
	}
}

// TestDeskSaysWhatKindOfDocument: the application's page listed the
// evidence as "Document 1 (application/pdf)", a media type where the
// citizen's page says "PDF document, 14.0 KB" (found by trying the desk as
// the State Education Development Agency's clerk). It names the kind and
// the size as the citizen's page does.
func TestDeskSaysWhatKindOfDocument(t *testing.T) {
	w, _, citizen, _ := deskApp(t)
	deliveredForACompany(t, citizen)
	openApplication(t, w)
	eventually(t, "the evidence on the application's page", func() bool {
		return strings.Contains(labels(w.Content()), "Document 1: PDF document, ")
	})
	if text := labels(w.Content()); strings.Contains(text, "application/pdf") {
		t.Fatalf("the page names a media type:\n%s", text)
	}
}

// TestDeskTrailNamesTheClerk: the ledger trail named the clerk who
// decided by identifier alone, "Application approved · by
// LV/LV/01019012345", where it names the applicant (found deciding Mari's
// study grant as Jānis). A clerk the administrator gave the role is named
// as they signed in.
func TestDeskTrailNamesTheClerk(t *testing.T) {
	w, _, citizen, _ := deskApp(t)
	ctx := context.Background()
	req := appliesForBirth(t, citizen)
	anna := exchange.DemoClerk()
	if _, err := citizen.WithToken("admin").AssignRole(ctx, api.RoleAssignment{Subject: anna.Subject, Role: api.RoleClerk, Institution: "LV-DZS"}); err != nil {
		t.Fatal(err)
	}
	if _, err := citizen.WithToken("clerk").PostStatusChange(ctx, req.ID, api.StatusChange{Message: "Approved.", Decision: api.DecisionApproved}); err != nil {
		t.Fatal(err)
	}
	openApplication(t, w)
	want := "Application approved · by Anna Ozola (" + anna.Subject + ")"
	eventually(t, want, func() bool { return strings.Contains(labels(w.Content()), want) })
}

// TestDeskNamesTheClerksInstitution: Anna's desk was titled "Work queue"
// and said "your institution's services" without saying which, and her
// profile no role; GET /v1/me names both. The desk's title names the
// institution, the profile the role with it, and a citizen signed in
// after her sees no trace of either.
func TestDeskNamesTheClerksInstitution(t *testing.T) {
	world := newSignInWorldAs(t, false)
	w := world.w
	world.signInAs(t, "anna") // a clerk of the Register of Enterprises
	eventually(t, "the desk", func() bool { return find[*navButton](w.Content())[TabDesk].Visible() })
	test.Tap(find[*navButton](w.Content())[TabDesk])
	want := "Work queue · Register of Enterprises of the Republic of Latvia"
	eventually(t, want, func() bool {
		desk := find[*DeskScreen](w.Content())
		return len(desk) == 1 && desk[0].nav.Title() == want
	})
	// The profile says it too, with the role.
	test.Tap(find[*navButton](w.Content())[TabProfile])
	role := "Clerk · Register of Enterprises of the Republic of Latvia"
	eventually(t, "the profile's "+role, func() bool { return strings.Contains(labels(w.Content()), role) })
	tapButton(t, w, "Sign out")
	eventually(t, "the institution forgotten", func() bool { id, _ := world.s.Institution.Get(); return id == "" })
	world.signInAs(t, "janis")
	if id, _ := world.s.Institution.Get(); id != "" {
		t.Fatalf("a citizen signed in after a clerk has institution %q", id)
	}
	eventually(t, "a citizen's role", func() bool { r, _ := world.s.Role.Get(); return r == "citizen" })
	if text := labels(w.Content()); strings.Contains(text, "Clerk") || strings.Contains(text, "Role") {
		t.Fatalf("a citizen's profile names a role:\n%s", text)
	}
}

// TestDeskShowsTheApplicantsOtherEvidence: Līga applied for Baltic Timber
// SIA to "Register a business activity", which needs the company's
// registration and its tax certificate; she asked for each, and Anna's
// queue held two applications, each page showing one document and
// nothing of the other (found trying the desk). An application's page
// lists the same applicant's other requests for the service, with their
// state, and opens each; the evidence to ask for says which of it was
// asked for already. The desk names a state from the clerk's side: it
// said "Waiting for your explicit request" to Anna.
func TestDeskShowsTheApplicantsOtherEvidence(t *testing.T) {
	w, _, citizen, _ := deskApp(t)
	ctx := context.Background()
	mandate := forACompany(t, citizen)
	var ids []string
	for _, requirement := range []string{companyRegistration, "https://sr.oots.tech.europa.eu/requirements/13173c25-a0a9-518b-a3d1-89d554b00d6b"} {
		r, err := citizen.CreateRequest(ctx, api.NewRequest{ServiceID: "lv-register-business", Requirement: requirement, Country: "LV", MandateID: mandate})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	// Another service's request of the same applicant is not listed.
	if _, err := citizen.CreateRequest(ctx, api.NewRequest{ServiceID: "lv-employer-registration", Requirement: companyRegistration, Country: "LV", MandateID: mandate}); err != nil {
		t.Fatal(err)
	}
	test.Tap(find[*navButton](w.Content())[TabDesk])
	desk := find[*DeskScreen](w.Content())[0]
	desk.Open(ids[0])
	eventually(t, "the registration's page", func() bool { return strings.Contains(labels(w.Content()), "Evidence received") })
	page := labels(w.Content())
	if !strings.Contains(page, "Certificate of no tax debt · Waiting for the applicant's explicit request") {
		t.Fatalf("the page does not list the tax certificate's request:\n%s", page)
	}
	if strings.Contains(page, "your explicit request") {
		t.Fatalf("the desk speaks to the clerk as to the applicant:\n%s", page)
	}
	if strings.Count(page, "Extract from the Register of Enterprises ·") != 0 {
		t.Fatalf("the page lists a request that is not this service's, or itself:\n%s", page)
	}
	// Asking for missing evidence says which the application has already.
	var asked []string
	for _, sel := range find[*widget.Select](w.Content()) {
		if sel.PlaceHolder == "Evidence" {
			asked = sel.Options
		}
	}
	if want := []string{"Proof of registration of a company · asked for", "Proof of no outstanding tax debt · asked for"}; !slices.Equal(asked, want) {
		t.Fatalf("the evidence to ask for: %q, want %q", asked, want)
	}
	tapButton(t, w, "Certificate of no tax debt · Waiting for the applicant's explicit request")
	eventually(t, "the tax certificate's page", func() bool {
		return strings.Contains(labels(w.Content()), "Extract from the Register of Enterprises · Waiting for the applicant's explicit request")
	})
}

// TestDeskSaysADecisionTakenMeanwhile: a decision taken while the page
// was open (a colleague's, or one this clerk stopped waiting for, which
// the service carried out: found by trying the desk with the network gone
// silent) was taken again by Approve, unasked, and the company had two
// approvals. The service now refuses it (409 decided_meanwhile); the page
// is read again, showing the decision that stands, and says so.
func TestDeskSaysADecisionTakenMeanwhile(t *testing.T) {
	w, _, citizen, _ := deskApp(t)
	req := deliveredForACompany(t, citizen)
	openApplication(t, w)
	eventually(t, "the application's page", func() bool { return strings.Contains(labels(w.Content()), "Decision expected by") })
	colleague := citizen.WithToken("clerk")
	if _, err := colleague.PostStatusChange(context.Background(), req.ID, api.StatusChange{Message: "Approved by a colleague.", Decision: api.DecisionApproved}); err != nil {
		t.Fatal(err)
	}
	for _, e := range find[*widget.Entry](w.Content()) {
		if e.MultiLine {
			e.SetText("Approved.")
		}
	}
	tapButton(t, w, "Approve")
	top := w.Canvas().Overlays().Top()
	if top == nil || !strings.Contains(labels(top), "decided meanwhile") {
		t.Fatal("no word of the decision taken meanwhile")
	}
	if text := labels(w.Content()); !strings.Contains(text, "Approved on ") || strings.Contains(text, "Decision expected by") {
		t.Fatalf("the page was not read again:\n%s", text)
	}
	got, err := citizen.Request(context.Background(), req.ID)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range got.Timeline {
		if s.Event == "application_approved" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d approvals on the company's timeline, want the colleague's one", n)
	}
}

// countedDesk is deskApp with the clerk's reads of the queue counted.
func countedDesk(t *testing.T) (fyne.Window, *app.Session, *client.Client, *atomic.Int32) {
	t.Helper()
	var reads atomic.Int32
	w, s, citizen, _ := deskAppThrough(t, "en", func(service string) string {
		target, _ := url.Parse(service)
		proxy := httputil.NewSingleHostReverseProxy(target)
		front := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet && r.URL.Path == "/v1/desk" {
				reads.Add(1)
			}
			proxy.ServeHTTP(rw, r)
		}))
		t.Cleanup(front.Close)
		return front.URL
	})
	return w, s, citizen, &reads
}

// openDesk taps the desk and waits for its queue of n applications.
func openDesk(t *testing.T, w fyne.Window, n int) *DeskScreen {
	t.Helper()
	test.Tap(find[*navButton](w.Content())[TabDesk])
	desk := find[*DeskScreen](w.Content())[0]
	desk.Reload()
	eventually(t, "the queue", func() bool { return len(desk.items) == n })
	return desk
}

// readsOfChanges tells s's desk that application id changed times times,
// with the app's calls waiting until then (the first read is under way
// while the other changes are heard), and returns the queue reads made.
func readsOfChanges(s *app.Session, reads *atomic.Int32, id string, times int) int32 {
	var waiting []func()
	s.Background = func(task func()) { waiting = append(waiting, task) }
	before := reads.Load()
	for range times {
		s.Desk.Changed(id)
	}
	for len(waiting) > 0 {
		task := waiting[0]
		waiting = waiting[1:]
		task()
	}
	return reads.Load() - before
}

// TestTheDeskReadsItsQueueOnceForABurstOfChanges: every change the clerk's
// stream heard read the whole queue again, one read per change: twenty
// changes at a busy institution made twenty reads. A read asked for while
// one runs is done once, when that one is in.
func TestTheDeskReadsItsQueueOnceForABurstOfChanges(t *testing.T) {
	w, s, citizen, reads := countedDesk(t)
	r := appliesForBirth(t, citizen)
	desk := openDesk(t, w, 1)
	if n := readsOfChanges(s, reads, r.ID, 20); n != 2 {
		t.Errorf("20 changes heard while a read ran read the queue %d times, want 2 (the one under way, one after)", n)
	}
	if len(desk.items) != 1 {
		t.Errorf("the queue shows %d applications after the reads, want 1", len(desk.items))
	}
}

// TestALanguageSwitchLeavesNoOldScreensListening: each language switch
// draws the screens anew, and the old ones stayed on the session's models:
// after four switches a change heard read the clerk's queue five times,
// once for each desk ever drawn. The screens of a drawing stop listening
// when the next one replaces them.
func TestALanguageSwitchLeavesNoOldScreensListening(t *testing.T) {
	w, s, citizen, reads := countedDesk(t)
	r := appliesForBirth(t, citizen)
	for _, code := range []string{"lv", "en", "lv", "en"} {
		if err := s.Language.Set(code); err != nil {
			t.Fatal(err)
		}
	}
	openDesk(t, w, 1)
	if n := readsOfChanges(s, reads, r.ID, 1); n != 1 {
		t.Errorf("one change heard after four language switches read the queue %d times, want 1", n)
	}
}
