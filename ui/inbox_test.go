package ui

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/app"
	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/oots/demonet"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// startIn starts the exchange service on data folder dir, as the app
// does, with the demo citizen ("t") and the demo clerk ("clerk").
func startIn(t *testing.T, dir string) *exchange.Server {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := exchange.Start(context.Background(), exchange.Config{DataDir: dir, Logger: log, Network: demonet.Embedded{},
		Auth: exchange.BearerTokens{"t": exchange.DemoCitizen(), "clerk": exchange.DemoClerk()}})
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// openApp builds the app over srv in a new test window, as main.go does.
func openApp(t *testing.T, srv *exchange.Server, language string) (fyne.Window, *app.Session) {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	s := app.NewSession(client.New(srv.URL()).WithToken("t"), memPrefs{"language": language}, app.About{ServiceURL: srv.URL()}, log)
	runInPlace(t, s)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	Build(w, s)
	w.Resize(fyne.NewSize(1000, 700))
	return w, s
}

// waitFor re-reads request id until it is in state.
func waitFor(t *testing.T, s *app.Session, id, state string) {
	t.Helper()
	eventually(t, "request "+id+" to be "+state, func() bool {
		r, err := s.Requests.Get(context.Background(), id)
		return err == nil && r.State == state
	})
}

// TestInboxSurvivesARestartOfTheApp (issue 15, defect 2): a preview is
// waiting and a clerk wrote; after the app (and its embedded service)
// restart, the inbox lists both — naming the service, the evidence and
// the sender — with the unread count on its tab; opening one marks it
// read, and "ready to preview" clears once the preview is decided.
// Before, the inbox lived in memory and said "No messages" after a
// restart.
func TestInboxSurvivesARestartOfTheApp(t *testing.T) {
	test.NewTempApp(t)
	ctx := context.Background()
	dir := t.TempDir()
	srv := startIn(t, dir)
	_, s := openApp(t, srv, "lv")
	svc, err := s.Catalogue.Service(ctx, "lv-birth-certificate")
	if err != nil {
		t.Fatal(err)
	}
	req, err := s.Requests.Create(ctx, svc.ID, svc.Evidence[0].Requirement, "LV")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Requests.GiveExplicitRequest(ctx, req.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, s, req.ID, "preview_required")
	if _, err := client.New(srv.URL()).WithToken("clerk").PostStatus(ctx, req.ID, "Saņēmām jūsu iesniegumu."); err != nil {
		t.Fatal(err)
	}
	srv.Close(ctx)

	srv = startIn(t, dir) // the app starts again on its data folder
	t.Cleanup(func() { srv.Close(context.Background()) })
	w, s := openApp(t, srv, "lv")
	if badge := navButtons(t, w)[TabInbox].badge; badge != "2" {
		t.Fatalf("the inbox tab's unread count is %q, want 2", badge)
	}
	test.Tap(navButtons(t, w)[TabInbox])
	text := labels(w.Content())
	for _, want := range []string{"Apliecinājums gatavs apskatei", "Saņēmām jūsu iesniegumu.", svc.Name.In("lv"), "Dzimtsarakstu nodaļa", "Ziņa", "Jārīkojas"} {
		if !strings.Contains(text, want) {
			t.Errorf("after a restart the inbox lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Ziņojumu nav") {
		t.Fatalf("after a restart the inbox says it is empty:\n%s", text)
	}
	msgs := messages(t, s)
	if len(msgs) != 2 || msgs[1].From == "" || !strings.Contains(msgs[1].About, " · ") {
		t.Fatalf("messages %+v: want two, the preview's naming its sender, service and evidence", msgs)
	}

	lists := find[*widget.List](w.Content())
	if len(lists) != 1 {
		t.Fatalf("found %d lists on the inbox", len(lists))
	}
	lists[0].Select(0) // the clerk's message
	if !navButtons(t, w)[TabRequests].selected {
		t.Fatal("opening the message did not open its request")
	}
	if badge := navButtons(t, w)[TabInbox].badge; badge != "1" {
		t.Fatalf("after reading one the unread count is %q, want 1", badge)
	}

	if _, err := s.Requests.OpenPreview(ctx, req.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Requests.Decide(ctx, req.ID, true); err != nil {
		t.Fatal(err)
	}
	waitFor(t, s, req.ID, "delivered")
	s.Inbox.Take(api.Event{RequestID: req.ID, Event: "evidence_delivered", State: "delivered"}) // as the event stream would
	for _, m := range messages(t, s) {
		if m.ActionNeeded || strings.Contains(m.Title, "gatavs apskatei") {
			t.Fatalf("the decided preview is still in the inbox: %+v", m)
		}
	}
	if got := messages(t, s)[0].Title; got != "Apliecinājums saņemts" && !strings.Contains(got, "atkārtoti") {
		t.Fatalf("newest message after delivery: %q", got)
	}
}

func messages(t *testing.T, s *app.Session) []app.Message {
	t.Helper()
	var out []app.Message
	for i := range s.Inbox.Messages.Length() {
		v, err := s.Inbox.Messages.GetValue(i)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v.(app.Message))
	}
	return out
}

// TestMarkAllReadSaysWhenItCannot: "Mark all read" with the service down
// did nothing and said nothing (its error was dropped); the messages
// stayed unread. Now the person is told why.
func TestMarkAllReadSaysWhenItCannot(t *testing.T) {
	w, s, stop := newAppWithService(t, "en")
	openInboxWithAMessage(t, w, s)
	stop()
	tapButton(t, w, "Mark all read")
	if text := dialogText(t, w); !strings.Contains(text, "cannot be reached") && !strings.Contains(text, "not reachable") {
		t.Fatalf("marking all read with the service down says:\n%s", text)
	}
}

// openInboxWithAMessage takes a birth-certificate request to its preview,
// so that the inbox holds an unread message, and opens the inbox.
func openInboxWithAMessage(t *testing.T, w fyne.Window, s *app.Session) {
	t.Helper()
	ctx := context.Background()
	req := startRequest(t, s, "lv-birth-certificate", "LV")
	if _, err := s.Requests.GiveExplicitRequest(ctx, req.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, s, req.ID, "preview_required")
	if err := s.Inbox.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	test.Tap(navButtons(t, w)[TabInbox])
}

// TestOlderMessagesAreOneTapAway: a clerk wrote 203 times about an
// application. The inbox lists the newest 200 (the service's page) with
// "Older messages" below; a tap lists the first three too, the clerk's
// first message last, scrolled to where the person looks, and the
// button goes. Before, the 201st message and
// older could not be reached at all.
func TestOlderMessagesAreOneTapAway(t *testing.T) {
	test.NewTempApp(t)
	ctx := context.Background()
	srv := startIn(t, t.TempDir())
	t.Cleanup(func() { srv.Close(context.Background()) })
	w, s := openApp(t, srv, "en")
	req := startRequest(t, s, "lv-birth-certificate", "LV")
	clerk := client.New(srv.URL()).WithToken("clerk")
	for i := range 203 {
		if _, err := clerk.PostStatus(ctx, req.ID, fmt.Sprintf("Note %d about your application.", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Inbox.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	test.Tap(navButtons(t, w)[TabInbox])
	olderButtons := func() int {
		n := 0
		for _, b := range find[*wrapButton](w.Content()) {
			if b.Text == "Older messages" {
				n++
			}
		}
		return n
	}
	if n := s.Inbox.Messages.Length(); n != 200 || olderButtons() != 1 {
		t.Fatalf("the inbox lists %d messages with %d buttons for older ones; want 200 and one", n, olderButtons())
	}
	list := find[*widget.List](w.Content())[0]
	tapButton(t, w, "Older messages")
	eventually(t, "the older messages to be listed", func() bool { return s.Inbox.Messages.Length() == 203 })
	eventually(t, "the list to show the first of them", func() bool { return list.GetScrollOffset() > 0 })
	if msgs := messages(t, s); msgs[202].Body != "Note 0 about your application." {
		t.Errorf("the oldest message listed says %q", msgs[202].Body)
	}
	if olderButtons() != 0 {
		t.Error("the button for older messages stays after all are listed")
	}
}
