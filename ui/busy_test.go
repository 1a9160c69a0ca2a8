package ui

import (
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/client"
)

// animations counts the animations a test app's widgets have started and
// not stopped (the test driver runs none: it ticks each once).
type animations struct {
	fyne.Driver
	mu      sync.Mutex
	running map[*fyne.Animation]bool
}

func (d *animations) StartAnimation(a *fyne.Animation) {
	d.mu.Lock()
	d.running[a] = true
	d.mu.Unlock()
	d.Driver.StartAnimation(a)
}

func (d *animations) StopAnimation(a *fyne.Animation) {
	d.mu.Lock()
	delete(d.running, a)
	d.mu.Unlock()
	d.Driver.StopAnimation(a)
}

func (d *animations) count() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.running)
}

// appWithDriver is the test app with its driver replaced.
type appWithDriver struct {
	fyne.App
	driver fyne.Driver
}

func (a appWithDriver) Driver() fyne.Driver { return a.driver }

// countAnimations makes the current (test) app count its animations.
func countAnimations(t *testing.T) *animations {
	t.Helper()
	current := fyne.CurrentApp()
	d := &animations{Driver: current.Driver(), running: map[*fyne.Animation]bool{}}
	fyne.SetCurrentApp(appWithDriver{App: current, driver: d})
	t.Cleanup(func() { fyne.SetCurrentApp(current) })
	return d
}

// TestSearchLeavesNoAnimationRunning: the catalogue's progress bar
// animates while a search runs and stops with it. Before, the hidden bar
// went on animating (Fyne's ProgressBarInfinite stops only when its
// renderer expires, a minute later), so the window repainted every frame
// after every search: this test saw one animation left running.
func TestSearchLeavesNoAnimationRunning(t *testing.T) {
	w, s := newApp(t, "en")
	sc := servicesScreen(t, w)
	sc.delay = 0
	anims := countAnimations(t)
	s.Catalogue.Busy.Set(true)
	if n := anims.count(); n != 1 {
		t.Fatalf("%d animations run while a search runs, want the progress bar's", n)
	}
	s.Catalogue.Busy.Set(false)
	test.Type(sc.Search, "pension")
	eventually(t, "pension services", func() bool { return s.Catalogue.Results.Length() == 2 })
	sc.Search.FocusLost() // its cursor blinks while it has the focus
	if n := anims.count(); n != 0 {
		t.Fatalf("%d animations still run after the search", n)
	}
}

// TestStartingScreenStopsWhenReplaced: the start-up screen's bar animates
// until Show replaces the screen (before, it ran on, out of the window,
// for about a minute after every start).
func TestStartingScreenStopsWhenReplaced(t *testing.T) {
	test.NewTempApp(t)
	anims := countAnimations(t)
	w := test.NewTempWindow(t, widget.NewLabel(""))
	Show(w, Starting())
	if n := anims.count(); n != 1 {
		t.Fatalf("%d animations run on the start-up screen, want its bar's", n)
	}
	Show(w, widget.NewLabel("the catalogue"))
	if n := anims.count(); n != 0 {
		t.Fatalf("%d animations still run once the start-up screen is replaced", n)
	}
}

// TestProgressBarsArePainted: found by trying the app while the service
// did not answer: the dialog that says the app waits for it showed no
// progress bar, and neither did the start-up screen or a slow search.
// busyBar embedded a *fyne.Container, which made it a canvas object Fyne
// neither draws nor descends into: the bar was animated and never shown.
// Each bar is now reached from its window the way Fyne paints, and the
// middle of the start-up screen's bar is not the colour around it.
func TestProgressBarsArePainted(t *testing.T) {
	w, s := newApp(t, "en")
	s.Catalogue.Busy.Set(true)
	if n := len(find[*widget.ProgressBarInfinite](w.Content())); n != 1 {
		t.Errorf("%d progress bars drawn while a search runs, want 1", n)
	}
	s.Catalogue.Busy.Set(false)

	starting := test.NewTempWindow(t, widget.NewLabel(""))
	starting.Resize(fyne.NewSize(400, 300))
	Show(starting, Starting())
	bars := find[*widget.ProgressBarInfinite](starting.Content())
	if len(bars) != 1 {
		t.Fatalf("%d progress bars drawn on the start-up screen, want 1", len(bars))
	}
	img := starting.Canvas().Capture()
	scale := float32(img.Bounds().Dx()) / starting.Canvas().Size().Width
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(bars[0]).Add(fyne.NewPos(bars[0].Size().Width/2, bars[0].Size().Height/2))
	if bar, around := img.At(int(at.X*scale), int(at.Y*scale)), img.At(1, 1); bar == around {
		t.Errorf("the start-up screen's bar is painted %v, the colour around it", bar)
	}
	Show(starting, widget.NewLabel("the catalogue"))

	waits := &waiting{win: w, stop: func() {}}
	waits.show()
	if n := len(find[*widget.ProgressBarInfinite](w.Canvas().Overlays().Top())); n != 1 {
		t.Errorf("%d progress bars drawn in the waiting dialog, want 1", n)
	}
	waits.done()
}

// drawnOnly is the test driver with CanvasForObject as the desktop's: it
// knows an object only once a frame has drawn it, and none is drawn here.
type drawnOnly struct{ fyne.Driver }

func (drawnOnly) CanvasForObject(fyne.CanvasObject) fyne.Canvas { return nil }

// TestTheBannerTakesItsRoomWhenItShows: found by trying the app on a
// phone whose network went silent: the log said the service could not be
// reached, but the request page showed no banner until another tab was
// opened. relayout found the window of the banner with CanvasForObject,
// which on the desktop knows only objects drawn before, and the banner
// had been hidden since the start: nothing was laid out again and it had
// no room. relayout now lays out the app's windows when it cannot find
// the object's own.
func TestTheBannerTakesItsRoomWhenItShows(t *testing.T) {
	w, s := newApp(t, "en")
	current := fyne.CurrentApp()
	fyne.SetCurrentApp(appWithDriver{App: current, driver: drawnOnly{current.Driver()}})
	t.Cleanup(func() { fyne.SetCurrentApp(current) })
	s.Connection.Report("test", client.ErrUnavailable, func() {})
	var banner *widget.Label
	for _, l := range find[*widget.Label](w.Content()) {
		if strings.Contains(l.Text, "cannot be reached") {
			banner = l
		}
	}
	if banner == nil {
		t.Fatal("no banner shown")
	}
	if h := banner.Size().Height; h < 10 {
		t.Fatalf("the banner is %v px high: it was given no room", h)
	}
}

// TestTheListStaysPutWhileASearchRuns: after start the catalogue's list
// sat under a blank band as tall as the busy bar (seen in the running
// app, with the service remote): the bar had pushed the list down during
// the first search and nothing laid the screen out again when it went.
// The bar now shows in the place of the results' count, so the list does
// not move when a search starts or ends.
func TestTheListStaysPutWhileASearchRuns(t *testing.T) {
	w, s := newApp(t, "en")
	w.Resize(fyne.NewSize(1024, 720))
	sc := servicesScreen(t, w)
	d := fyne.CurrentApp().Driver()
	idle := d.AbsolutePositionForObject(sc.Results).Y
	_ = s.Catalogue.Busy.Set(true)
	eventually(t, "the busy bar", func() bool { return len(find[*widget.ProgressBarInfinite](w.Content())) == 1 })
	w.Resize(fyne.NewSize(1024, 721)) // lays the screen out, as a real window's next frame does
	if busy := d.AbsolutePositionForObject(sc.Results).Y; busy != idle {
		t.Errorf("the list is at y=%.0f while a search runs, at %.0f otherwise", busy, idle)
	}
	_ = s.Catalogue.Busy.Set(false)
	eventually(t, "the busy bar gone", func() bool { return len(find[*widget.ProgressBarInfinite](w.Content())) == 0 })
}
