package ui

import (
	"context"
	"image/png"
	"io"
	"log/slog"
	"os"
	"path/filepath"
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

// TestClerkDeskPostsAndDecides drives the clerk's desk against a real
// exchange service: the citizen's application is in the queue; the clerk
// opens it, posts a two-line message and approves it with reasons; the
// citizen reads both whole on the timeline.
func TestClerkDeskPostsAndDecides(t *testing.T) {
	test.NewTempApp(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := exchange.Start(context.Background(), exchange.Config{DataDir: t.TempDir(), Logger: log, Network: demonet.Embedded{},
		Auth: exchange.BearerTokens{"citizen": exchange.DemoCitizen(), "clerk": exchange.DemoClerk()}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(context.Background()) })
	citizen := client.New(srv.URL()).WithToken("citizen")
	req, err := citizen.CreateRequest(context.Background(), api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"})
	if err != nil {
		t.Fatal(err)
	}
	s := app.NewSession(client.New(srv.URL()).WithToken("clerk"), memPrefs{"language": "en"}, app.About{ServiceURL: srv.URL()}, log)
	s.Background = func(task func()) { task() }
	s.Clerk = true
	w := test.NewTempWindow(t, widget.NewLabel(""))
	Build(w, s)
	w.Resize(fyne.NewSize(1000, 700))

	buttons := find[*navButton](w.Content())
	if len(buttons) != 6 {
		t.Fatalf("a clerk has %d destinations, want 6 (with the desk)", len(buttons))
	}
	test.Tap(buttons[TabDesk])
	desk := find[*DeskScreen](w.Content())
	if len(desk) != 1 || len(desk[0].items) != 1 || desk[0].items[0].Request.ID != req.ID {
		t.Fatalf("the queue does not hold the citizen's application")
	}
	if it := desk[0].items[0]; !it.Unread || it.Overdue || it.Due.IsZero() || !strings.Contains(it.Request.Citizen, "Bērziņš") {
		t.Fatalf("queue item %+v", it)
	}
	desk[0].Queue.Select(0)
	if text := labels(w.Content()); !strings.Contains(text, "Jānis Bērziņš") || !strings.Contains(text, "Request started") {
		t.Fatalf("the application page:\n%s", text)
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
	keepScreenshot(t, w, "screenshot-desk-application.png")
	tapBack(t, w.Content())
	keepScreenshot(t, w, "screenshot-desk-queue.png")
	if it := find[*DeskScreen](w.Content())[0].items[0]; it.Unread {
		t.Fatal("the answered application is still marked unread")
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
