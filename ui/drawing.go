package ui

import (
	"sync"

	"fyne.io/fyne/v2/data/binding"

	"github.com/vienreiz/vienreiz/app"
)

// A drawing is the screens one Build draw made for a session, and what
// they hear of the session's models: listeners on its bindings and hooks.
// Each language switch draws the screens anew; the drawing they replace
// stops hearing, where before every desk ever drawn read the clerk's queue
// at each change.
type drawing struct {
	mu     sync.Mutex
	ended  bool
	remove []func()
}

var (
	drawingsMu sync.Mutex
	drawings   = map[*app.Session]*drawing{}
)

// drawingOf is the drawing s's screens are being made for now.
func drawingOf(s *app.Session) *drawing {
	drawingsMu.Lock()
	defer drawingsMu.Unlock()
	d := drawings[s]
	if d == nil {
		d = &drawing{}
		drawings[s] = d
	}
	return d
}

// newDrawing makes the screens made for s from now on a drawing of their
// own and returns the one they replace, to end once they are shown.
func newDrawing(s *app.Session) (replaced *drawing) {
	drawingsMu.Lock()
	defer drawingsMu.Unlock()
	replaced = drawings[s]
	drawings[s] = &drawing{}
	return replaced
}

// end removes what the drawing's screens listen to.
func (d *drawing) end() {
	if d == nil {
		return
	}
	d.mu.Lock()
	remove := d.remove
	d.remove, d.ended = nil, true
	d.mu.Unlock()
	for _, f := range remove {
		f()
	}
}

// whileDrawn has remove called when the screens being made for s are
// replaced; at once when they already are.
func whileDrawn(s *app.Session, remove func()) {
	d := drawingOf(s)
	d.mu.Lock()
	if !d.ended {
		d.remove = append(d.remove, remove)
		d.mu.Unlock()
		return
	}
	d.mu.Unlock()
	remove()
}

// listen calls f now and whenever item changes, while the screens being
// made for s are shown.
func listen(s *app.Session, item binding.DataItem, f func()) {
	l := binding.NewDataListener(f)
	item.AddListener(l)
	whileDrawn(s, func() { item.RemoveListener(l) })
}

// onChange calls f whenever item changes from now on, while the screens
// being made for s are shown. Fyne's AddListener also calls a new listener
// at once, for the value item has already.
func onChange(s *app.Session, item binding.DataItem, f func()) {
	now := true
	listen(s, item, func() {
		if now {
			now = false
			return
		}
		f()
	})
}
