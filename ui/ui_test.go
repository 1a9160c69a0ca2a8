package ui

import (
	"context"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/app"
	"github.com/vienreiz/vienreiz/client"
	"github.com/vienreiz/vienreiz/oots/demonet"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

type memPrefs map[string]string

func (p memPrefs) String(k string) string { return p[k] }
func (p memPrefs) SetString(k, v string)  { p[k] = v }

// newApp starts a real exchange service in a temporary folder and builds
// the UI over it in a test window, as main.go does.
func newApp(t *testing.T, language string) (fyne.Window, *app.Session) {
	t.Helper()
	w, s, _ := newAppWithService(t, language)
	return w, s
}

// newAppWithService is newApp that also returns a function that stops the
// exchange service.
func newAppWithService(t *testing.T, language string) (fyne.Window, *app.Session, func()) {
	t.Helper()
	return newAppOver(t, language, func(c *client.Client) app.ServiceAPI { return c })
}

// newAppOver is newAppWithService whose session calls the service through
// wrap's API (a test's hook around some calls).
func newAppOver(t *testing.T, language string, wrap func(*client.Client) app.ServiceAPI) (fyne.Window, *app.Session, func()) {
	t.Helper()
	test.NewTempApp(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := exchange.Start(context.Background(), exchange.Config{DataDir: t.TempDir(), Logger: log, Network: demonet.Embedded{}, Auth: exchange.BearerTokens{"t": exchange.DemoCitizen()}})
	if err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	stop := func() { once.Do(func() { srv.Close(context.Background()) }) }
	t.Cleanup(stop)
	s := app.NewSession(wrap(client.New(srv.URL()).WithToken("t")), memPrefs{"language": language}, app.About{ServiceURL: srv.URL()}, log)
	runInPlace(t, s)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	Build(w, s)
	w.Resize(fyne.NewSize(1000, 700))
	return w, s, stop
}

// eventually polls cond until it holds or fails the test after 5 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func find[T fyne.CanvasObject](root fyne.CanvasObject) []T {
	var out []T
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if !o.Visible() {
			return
		}
		if v, ok := o.(T); ok {
			out = append(out, v)
		}
		switch c := o.(type) {
		case *fyne.Container:
			for _, child := range c.Objects {
				walk(child)
			}
		case fyne.Widget:
			r := test.WidgetRenderer(c)
			for _, child := range r.Objects() {
				walk(child)
			}
		}
	}
	walk(root)
	return out
}

func servicesScreen(t *testing.T, w fyne.Window) *ServicesScreen {
	t.Helper()
	screens := find[*ServicesScreen](w.Content())
	if len(screens) != 1 {
		t.Fatalf("found %d services screens", len(screens))
	}
	return screens[0]
}

// labels returns the visible texts of labels, card titles, form items and
// buttons under root.
func labels(root fyne.CanvasObject) string {
	var b strings.Builder
	for _, l := range find[*widget.Label](root) {
		b.WriteString(l.Text)
		b.WriteByte('\n')
	}
	for _, c := range find[*widget.Card](root) {
		b.WriteString(c.Title + "\n" + c.Subtitle + "\n")
	}
	for _, f := range find[*widget.Form](root) {
		for _, it := range f.Items {
			b.WriteString(it.Text + "\n")
		}
	}
	for _, bt := range find[*widget.Button](root) {
		b.WriteString(bt.Text + "\n")
	}
	for _, bt := range find[*wrapButton](root) {
		b.WriteString(bt.Text + "\n")
	}
	return b.String()
}

func TestSearchFilterAndOpenAService(t *testing.T) {
	w, s := newApp(t, "en")
	sc := servicesScreen(t, w)
	sc.delay = 0
	eventually(t, "the whole catalogue", func() bool { return s.Catalogue.Results.Length() == 16 })

	test.Type(sc.Search, "pension")
	eventually(t, "pension services", func() bool { return s.Catalogue.Results.Length() == 2 })

	eventually(t, "country filter options", func() bool { return len(sc.Country.Options) == 6 })
	sc.Country.SetSelected("Finland")
	eventually(t, "Finnish pension service", func() bool { return s.Catalogue.Results.Length() == 1 })

	sc.Results.Select(0)
	eventually(t, "the detail page", func() bool {
		return strings.Contains(labels(w.Content()), "Finnish Centre for Pensions")
	})
	text := labels(w.Content())
	for _, want := range []string{"Request your pension record", "Proof of pension entitlement", "Employees Pensions Act of Finland", "14 days", "Evidence needed"} {
		if !strings.Contains(text, want) {
			t.Errorf("detail page lacks %q", want)
		}
	}
	sc.Navigation().Back()
	eventually(t, "back on the list", func() bool { return !strings.Contains(labels(w.Content()), "Employees Pensions Act") })
}

func TestNoResultsAndOverlongSearchAreExplained(t *testing.T) {
	w, s := newApp(t, "en")
	sc := servicesScreen(t, w)
	sc.delay = 0
	test.Type(sc.Search, "zzzznothing")
	eventually(t, "an empty result", func() bool {
		return s.Catalogue.Results.Length() == 0 && strings.Contains(labels(w.Content()), lang.L("services.none_found"))
	})

	sc.Search.SetText(strings.Repeat("x", 201))
	eventually(t, "the too-long message", func() bool { p, _ := s.Catalogue.Problem.Get(); return p == lang.L("error.query_too_long") })
}

// navButtons returns the navigation's destinations in the window.
func navButtons(t *testing.T, w fyne.Window) []*navButton {
	t.Helper()
	b := find[*navButton](w.Content())
	if len(b) != 5 {
		t.Fatalf("found %d navigation buttons, want 5", len(b))
	}
	return b
}

func TestLanguageSwitchRedrawsInLatvian(t *testing.T) {
	w, s := newApp(t, "en")
	if got := navButtons(t, w)[0].label; got != "Services" {
		t.Fatalf("first destination = %q", got)
	}
	test.Tap(navButtons(t, w)[TabProfile])
	var radios []*widget.RadioGroup
	for _, r := range find[*widget.RadioGroup](w.Content()) {
		if slices.Contains(r.Options, "Latviešu") {
			radios = append(radios, r)
		}
	}
	if len(radios) != 1 {
		t.Fatalf("found %d language choices", len(radios))
	}
	radios[0].SetSelected("Latviešu")
	if s.Language.Code() != "lv" {
		t.Fatalf("language = %s", s.Language.Code())
	}
	var names []string
	for _, b := range navButtons(t, w) {
		names = append(names, b.label)
	}
	if strings.Join(names, ",") != "Pakalpojumi,Pieprasījumi,Maciņš,Iesūtne,Profils" {
		t.Fatalf("navigation after switching to lv = %v", names)
	}
	if !navButtons(t, w)[TabProfile].selected {
		t.Fatal("after the redraw the profile is no longer the open destination")
	}
	if !strings.Contains(labels(w.Content()), "Iestatījumi") {
		t.Fatal("profile screen not in Latvian")
	}
}

func TestLayoutAdaptsToWidth(t *testing.T) {
	w, _ := newApp(t, "en")
	shell := w.Content().(*fyne.Container)
	nav := shell.Objects[1]
	w.Resize(fyne.NewSize(1000, 700))
	if nav.Position().X != 0 || nav.Size().Height < 600 {
		t.Fatalf("desktop: navigation at %v size %v, want a full-height side bar", nav.Position(), nav.Size())
	}
	w.Resize(fyne.NewSize(380, 760))
	if nav.Position().Y < 600 || nav.Size().Width < 370 {
		t.Fatalf("phone: navigation at %v size %v, want a full-width bottom bar", nav.Position(), nav.Size())
	}
	for _, b := range navButtons(t, w) {
		if b.Position().Y != 0 || b.Size().Width < 60 {
			t.Fatalf("phone: destination %q at %v size %v, want all five side by side", b.label, b.Position(), b.Size())
		}
	}
	w.Resize(fyne.NewSize(900, 700))
	if nav.Position().X != 0 || nav.Size().Height < 600 {
		t.Fatal("widening again does not return to the side navigation")
	}
}

func TestEmptyDestinationsSayWhatWillBeThere(t *testing.T) {
	w, _ := newApp(t, "en")
	for i, key := range map[int]string{TabRequests: "requests", TabWallet: "wallet", TabInbox: "inbox"} {
		test.Tap(navButtons(t, w)[i])
		text := labels(w.Content())
		if !strings.Contains(text, lang.L("empty."+key+".title")) || !strings.Contains(text, lang.L("empty."+key+".body")) {
			t.Errorf("destination %s shows %q", key, text)
		}
		if strings.Contains(text, lang.L("services.search_hint")) {
			t.Errorf("destination %s still shows the services screen", key)
		}
	}
}

// runInPlace makes s run its background work on the caller's goroutine
// (the test driver runs fyne.Do there too, so widgets stay
// single-threaded): its connection retries nothing on its own, from a
// timer's or the event stream's goroutine, and s ends with the test.
func runInPlace(t *testing.T, s *app.Session) {
	s.Background = func(task func()) { task() }
	s.Connection.Stop()
	t.Cleanup(func() { s.Close(time.Second) })
}

// TestMain shows the waiting dialog of an action at once (perform): its
// timer would draw it from another goroutine than the test's.
func TestMain(m *testing.M) {
	workingAfter = 0
	os.Exit(m.Run())
}
