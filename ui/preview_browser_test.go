package ui

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/app"
	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/oots/demonet"
	"github.com/vienreiz/vienreiz/oots/exchange"
	"github.com/vienreiz/vienreiz/oots/network/networktest"
)

// browserPreviewNetwork is the embedded demo run as a real network runs
// (a network file with preview.return_base_url): the citizen opens the
// provider's preview space in the browser and comes back. browser
// trusts the demo preview space.
type browserPreviewNetwork struct {
	demonet.Embedded
	browser *http.Client
}

func (n *browserPreviewNetwork) Connect(ctx context.Context, site exchange.Site) (*exchange.Connection, error) {
	c, err := n.Embedded.Connect(ctx, site)
	if err == nil {
		c.PreviewReturn = site.URL
		b := *c.Preview.(*http.Client)
		n.browser = &b
	}
	return c, err
}

// TestPreviewAtTheProviderInTheBrowser: on a real network the request
// page sends the citizen to the provider's preview space in the browser
// (the request's preview URL) and, back in the app, moves the request on
// with one tap; the evidence then arrives.
func TestPreviewAtTheProviderInTheBrowser(t *testing.T) {
	test.NewTempApp(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	net := &browserPreviewNetwork{}
	srv, err := exchange.Start(context.Background(), exchange.Config{DataDir: t.TempDir(), Logger: log, Network: net, Auth: exchange.BearerTokens{"t": exchange.DemoCitizen()}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(context.Background()) })
	s := app.NewSession(client.New(srv.URL()).WithToken("t"), memPrefs{"language": "en"}, app.About{ServiceURL: srv.URL()}, log)
	runInPlace(t, s)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	Build(w, s)
	w.Resize(fyne.NewSize(1000, 700))

	req, err := s.Requests.Create(context.Background(), "lv-birth-certificate", proofOfBirthRequirement(t, s), "LV")
	if err != nil {
		t.Fatal(err)
	}
	test.Tap(navButtons(t, w)[TabRequests])
	screen := find[*RequestsScreen](w.Content())[0]
	var opened []*url.URL
	screen.openURL = func(u *url.URL) error { opened = append(opened, u); return nil }
	screen.Open(req.ID)
	tapButton(t, w, "I request this evidence")
	eventually(t, "the preview step", func() bool {
		screen.Open(req.ID)
		return strings.Contains(labels(w.Content()), "at the provider")
	})
	if strings.Contains(labels(w.Content()), "Show the evidence") {
		t.Fatal("the page offers to show the evidence in the app on a network where the provider shows it")
	}
	tapButton(t, w, "Open the provider's preview")
	if len(opened) != 1 || !strings.Contains(opened[0].String(), "returnurl=") {
		t.Fatalf("opened %v; want the request's preview URL once", opened)
	}
	// No browser opened it: the person is told (Fyne's opener did not
	// know, and a failure showed Go's error text).
	screen.openURL = func(*url.URL) error { return errors.New("xdg-open: exit status 3") }
	tapButton(t, w, "Open the provider's preview")
	if text := dialogText(t, w); !strings.Contains(text, "No browser opened the provider’s preview") {
		t.Fatalf("with no browser the app says:\n%s", text)
	}
	w.Canvas().Overlays().Top().Hide()
	w.Canvas().Overlays().Remove(w.Canvas().Overlays().Top())
	at, _, err := networktest.Browser(net.browser, opened[0].String(), exchange.DemoCitizen().Subject, "approve")
	if err != nil || !strings.HasSuffix(at, "/open/requests/"+req.ID) {
		t.Fatalf("the browser ended at %q (%v), want the request's link", at, err)
	}
	tapButton(t, w, "I am back from the provider")
	eventually(t, "the evidence", func() bool {
		screen.Open(req.ID)
		return strings.Contains(labels(w.Content()), "Evidence delivered")
	})
}

// proofOfBirthRequirement is the birth service's first requirement.
func proofOfBirthRequirement(t *testing.T, s *app.Session) string {
	t.Helper()
	svc, err := s.Catalogue.Service(context.Background(), "lv-birth-certificate")
	if err != nil {
		t.Fatal(err)
	}
	return svc.Evidence[0].Requirement
}
