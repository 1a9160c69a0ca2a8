// Package ui draws the Vienreiz app with Fyne widgets. It reads the view
// models of app/ and never talks to the exchange service itself.
package ui

import (
	"net/url"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"

	"github.com/vienreiz/vienreiz/app"
)

// Build fills win with the app for session s and redraws it whenever the
// language changes, keeping the tab the user was on; the screens it
// replaces stop hearing the session (drawing).
func Build(win fyne.Window, s *app.Session) {
	applyDisplay(s.Display)
	s.Display.OnChange(func() { applyDisplay(s.Display) })
	var shell *Shell
	draw := func() {
		selected := 0
		if shell != nil {
			selected = shell.Selected()
		}
		win.SetTitle(lang.L("app.title"))
		replaced := newDrawing(s)
		shell = NewShell(win, s)
		shell.Select(selected)
		Show(win, shell.Content())
		replaced.end()
	}
	draw()
	s.Language.OnChange(func(string) { draw() })
}

// applyDisplay makes the app's theme follow the display settings d.
func applyDisplay(d *app.Display) {
	if settings := fyne.CurrentApp().Settings(); settings != nil {
		settings.SetTheme(newAppTheme(settings.Theme(), d))
	}
}

// systemOpener is how the session opens files and pages with the system's
// apps: Session.Open, else Fyne's opener.
func systemOpener(s *app.Session) func(*url.URL) error {
	if s.Open != nil {
		return s.Open
	}
	return fyne.CurrentApp().OpenURL
}

// relayout lays the window that holds o out again. A part of a screen
// that shows, hides or grows (a header's banner, a growing field) changes
// the height of what holds it, which Fyne noticed only when the window's
// size changed: the acting-as banner had no height on a phone until then.
// Twice: the first pass gives a wrapping text its width, the second the
// height it then needs. The desktop driver knows the window of an object
// only once a frame has drawn it, so a part shown for the first time (the
// banner of a service that cannot be reached) lays out every window.
func relayout(o fyne.CanvasObject) {
	var canvases []fyne.Canvas
	if c := fyne.CurrentApp().Driver().CanvasForObject(o); c != nil {
		canvases = append(canvases, c)
	} else {
		for _, w := range fyne.CurrentApp().Driver().AllWindows() {
			canvases = append(canvases, w.Canvas())
		}
	}
	for _, c := range canvases {
		if c.Content() != nil {
			c.Content().Refresh()
			c.Content().Refresh()
		}
	}
}

// newBorder is container.NewBorder with its parts in the order they are
// read: top, left, the middle, right, bottom. That is the order Tab moves
// the keyboard's focus in. Fyne's puts the middle first: Tab went from
// the catalogue's filters to the navigation, past the results, and on a
// page the back button came after the page.
func newBorder(top, bottom, left, right fyne.CanvasObject, middle ...fyne.CanvasObject) *fyne.Container {
	var parts []fyne.CanvasObject
	for _, o := range slices.Concat([]fyne.CanvasObject{top, left}, middle, []fyne.CanvasObject{right, bottom}) {
		if o != nil {
			parts = append(parts, o)
		}
	}
	return container.New(layout.NewBorderLayout(top, bottom, left, right), parts...)
}

// newCappedHeader lays header out over body: the header as tall as it
// needs up to share of the height, scrolling beyond it, and the body in
// the rest. At 200 % on a phone the catalogue's header (the portal's hint
// and buttons, the search, the filters) left its list one cut row.
func newCappedHeader(header, body fyne.CanvasObject, share float32) *fyne.Container {
	return container.New(&cappedHeader{share: share}, container.NewVScroll(header), body)
}

// cappedHeader is newCappedHeader's layout; objects are the header's
// scroll and the body.
type cappedHeader struct{ share float32 }

func (c *cappedHeader) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	head, body := objects[0].(*container.Scroll), objects[1]
	h := min(heightAt(head.Content, size.Width), size.Height*c.share)
	head.Move(fyne.NewPos(0, 0))
	head.Resize(fyne.NewSize(size.Width, h))
	body.Move(fyne.NewPos(0, h))
	body.Resize(fyne.NewSize(size.Width, size.Height-h))
}

func (c *cappedHeader) MinSize(objects []fyne.CanvasObject) fyne.Size {
	head, body := objects[0].MinSize(), objects[1].MinSize() // the header's scroll: a line of it
	return fyne.NewSize(max(head.Width, body.Width), head.Height+body.Height)
}
