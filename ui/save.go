package ui

import (
	"context"
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"

	"github.com/vienreiz/vienreiz/app"
)

// saver saves files the user places: a file save dialog, then the writing
// in the background, then a message saying how it went. A file whose
// writing failed is deleted, so no wrong copy is left behind.
type saver struct {
	win fyne.Window
	// sess runs the writing in its background, under its root context:
	// closing the app ends a download being saved.
	sess *app.Session
	// choose asks where to save a file named name and calls done with the
	// writer (nil when the user cancels); a file save dialog, which tests
	// replace.
	choose func(name string, done func(fyne.URIWriteCloser, error))
}

func newSaver(win fyne.Window, sess *app.Session) *saver {
	return &saver{win: win, sess: sess, choose: func(name string, done func(fyne.URIWriteCloser, error)) {
		d := dialog.NewFileSave(done, win)
		d.SetFileName(name)
		d.Resize(saveDialogSize(win.Canvas().Size()))
		present(win, d, nil)
	}}
}

// saveDialogMax is the file save dialog's size where the window has room:
// at its own (minimum) size the dialog cut a document's proposed name
// ("Izziņa par ienākumiem no nodokļu reģistra 2026-12-05.pdf") in its
// file name field, hiding the date and the type.
var saveDialogMax = fyne.NewSize(900, 620)

// saveDialogSize is saveDialogMax within a window of size, with a margin;
// the dialog never shrinks below its minimum size.
func saveDialogSize(window fyne.Size) fyne.Size {
	margin := 4 * theme.Padding()
	return fyne.NewSize(min(saveDialogMax.Width, window.Width-margin), min(saveDialogMax.Height, window.Height-margin))
}

// save asks where to put a file named name, writes it with write and then
// shows the message saved returns for the file's name, or the error.
func (s *saver) save(name string, write func(ctx context.Context, w io.Writer) error, saved func(name, folder string) (title, message string)) {
	s.choose(name, func(wc fyne.URIWriteCloser, err error) {
		if err != nil {
			present(s.win, dialog.NewError(err, s.win), nil)
			return
		}
		if wc == nil {
			return // cancelled
		}
		call(s.sess, func(ctx context.Context) {
			err := write(ctx, wc)
			if closeErr := wc.Close(); err == nil {
				err = closeErr
			}
			if err != nil {
				_ = storage.Delete(wc.URI()) // best effort
			}
			fyne.Do(func() {
				if err != nil {
					showProblem(s.win, app.ProblemOf(err))
					return
				}
				title, message := saved(wc.URI().Name(), folderOf(wc.URI()))
				inform(s.win, title, message)
			})
		})
	})
}

// folderOf is the folder a saved file is in, as a person reads it; ""
// where the place has no folder path (a phone's document provider).
func folderOf(u fyne.URI) string {
	parent, err := storage.Parent(u)
	if err != nil || parent.Scheme() != "file" {
		return ""
	}
	if p := strings.TrimSuffix(parent.Path(), "/"); p != "" {
		return p
	}
	return "/"
}

// savedText is the message key's text for a file saved as name in
// folder: key_in names the folder where there is one.
func savedText(key, name, folder string) string {
	if folder == "" {
		return lang.L(key, map[string]any{"Name": name})
	}
	return lang.L(key+"_in", map[string]any{"Name": name, "Folder": folder})
}
