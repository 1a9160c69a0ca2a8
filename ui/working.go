package ui

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/app"
)

// workingAfter is how long a person's action runs before the window says
// it is waiting for the service; a quicker answer shows nothing.
var workingAfter = 400 * time.Millisecond

// perform runs a person's action (start a request, approve, decide an
// application) like call. While it takes longer than workingAfter, a
// dialog over win says the app is waiting for the service, with a
// progress bar and Stop waiting: the window takes no second tap that would
// do the action again, and a person with a service that does not answer
// is not left looking at a page that seems to ignore them. Stop waiting
// ends the call.
//
// work returns what to show of the outcome (a problem, the next page), or
// nil; it runs on the UI goroutine once the dialog has gone, since Fyne's
// hiding of an overlay takes the overlays above it along. A call called
// off (Stop waiting, or the session ending) shows nothing: the page
// follows what the service did with it.
func perform(win fyne.Window, s *app.Session, work func(ctx context.Context) (show func())) {
	s.Background(func() {
		ctx, cancel := context.WithTimeout(s.Context(), callTimeout)
		defer cancel()
		w := &waiting{win: win, stop: cancel}
		var timer *time.Timer
		if workingAfter <= 0 {
			fyne.DoAndWait(w.show)
		} else {
			timer = time.AfterFunc(workingAfter, func() { fyne.Do(w.show) })
		}
		show := work(ctx)
		if timer != nil {
			timer.Stop()
		}
		if errors.Is(ctx.Err(), context.Canceled) {
			show = nil
		}
		fyne.DoAndWait(func() {
			w.done()
			if show != nil {
				show()
			}
		})
	})
}

// waiting is perform's dialog; its fields are used on the UI goroutine only.
type waiting struct {
	win    fyne.Window
	stop   func()
	dialog dialog.Dialog
	bar    *busyBar
	over   bool
}

func (w *waiting) show() {
	if w.over {
		return
	}
	w.bar = newBusyBar()
	w.bar.set(true)
	stop := widget.NewButton(lang.L("working.stop"), w.stop)
	d := newDialog(w.win, lang.L("working.title"), container.NewVBox(wrapped(lang.L("working.body")), w.bar), stop)
	w.dialog = d
	present(w.win, d, w.stop)
}

func (w *waiting) done() {
	w.over = true
	if w.dialog != nil {
		w.bar.set(false)
		w.dialog.Hide()
	}
}
