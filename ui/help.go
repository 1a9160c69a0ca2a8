package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/app"
)

// The help centre (P13): a page per error code saying what happened and
// what to do, in the user's language. Every error message the app shows
// has a button to its page; the profile lists them all.

// helpPage is the help centre page of code.
func helpPage(code string) fyne.CanvasObject {
	p := app.Help(code)
	title := wrapped(p.Title)
	title.TextStyle = fyne.TextStyle{Bold: true}
	codeLabel := widget.NewLabel(lang.L("help.code", map[string]any{"Code": p.Code}))
	codeLabel.SizeName = theme.SizeNameCaptionText
	return container.NewVBox(title,
		widget.NewLabelWithStyle(lang.L("help.what"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), wrapped(p.What),
		widget.NewLabelWithStyle(lang.L("help.do"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), wrapped(p.Do),
		codeLabel)
}

// showHelp shows the help centre page of code over win.
func showHelp(win fyne.Window, code string) {
	showDialog(win, lang.L("help.title"), helpPage(code))
}

// showHelpIndex lists every help centre page; a topic opens its page.
func showHelpIndex(win fyne.Window) {
	topics := container.NewVBox(wrapped(lang.L("help.body")))
	for _, code := range app.HelpCodes {
		b := newWrapButton(app.Help(code).Title, nil, func() { showHelp(win, code) })
		topics.Add(b)
	}
	showDialog(win, lang.L("help.title"), topics)
}

// showProblem tells the user what went wrong, with a button to the help
// centre page that explains it.
func showProblem(win fyne.Window, p app.Problem) {
	more := newWrapButton(lang.L("help.open"), theme.HelpIcon(), func() { showHelp(win, p.Code) })
	body := container.NewVBox(wrapped(p.Text), buttons(more))
	showDialog(win, lang.L("dialog.problem"), body)
}

// newDialog is a dialog over win with a title and actions (buttons), laid
// out to fit a phone at any text size: the title in Fyne's title where it
// fits on one line, else wrapping like the text (Fyne's own stays on one
// line); the actions in Fyne's row where they fit side by side, else one
// under another at the end of the body (Fyne gives each the width of the
// widest). Either made the dialog wider than a phone at 200 %.
func newDialog(win fyne.Window, title string, content fyne.CanvasObject, actions ...fyne.CanvasObject) *dialog.CustomDialog {
	parts := []fyne.CanvasObject{content}
	if !titleFits(win, title) {
		heading := wrapped(title)
		heading.TextStyle = fyne.TextStyle{Bold: true}
		heading.SizeName = theme.SizeNameSubHeadingText
		parts, title = append([]fyne.CanvasObject{heading}, parts...), ""
	}
	inRow := actionsFit(win, actions)
	if !inRow {
		parts = append(parts, buttons(actions...))
	}
	body := content
	if len(parts) > 1 {
		body = container.NewVBox(parts...)
	}
	d := dialog.NewCustomWithoutButtons(title, dialogBody(win, body), win)
	if inRow {
		d.SetButtons(actions)
	}
	return d
}

// actionsFit says whether actions fit side by side in a dialog over win,
// each as wide as the widest (as Fyne lays them out).
func actionsFit(win fyne.Window, actions []fyne.CanvasObject) bool {
	widest := float32(0)
	for _, a := range actions {
		widest = max(widest, leadingColumn{}.natural(a)) // a wrapButton's on one line
	}
	n := float32(len(actions))
	return n*widest+(n+1)*theme.Padding() <= dialogWidth(win)
}

// titleFits says whether title fits on one line of a dialog over win.
func titleFits(win fyne.Window, title string) bool {
	size := fyne.MeasureText(title, theme.Size(theme.SizeNameSubHeadingText), fyne.TextStyle{Bold: true})
	return size.Width <= dialogWidth(win)-2*theme.Padding()
}

// showDialog shows content under title over win, with a Close button,
// and returns the dialog.
func showDialog(win fyne.Window, title string, content fyne.CanvasObject) dialog.Dialog {
	var d *dialog.CustomDialog
	d = newDialog(win, title, content, widget.NewButton(lang.L("dialog.close"), func() { d.Hide() }))
	present(win, d, d.Hide)
	return d
}

// dialogWidth is how wide a dialog's content is over win: as wide as fits,
// at most 480.
func dialogWidth(win fyne.Window) float32 {
	return min(480, max(win.Canvas().Size().Width-80, 200))
}

// dialogBody sizes a dialog's content to the window: as wide as fits (at
// most 480), scrolling when long, so text wraps on a phone.
func dialogBody(win fyne.Window, content fyne.CanvasObject) *container.Scroll {
	scroll := container.NewVScroll(content)
	fitDialogBody(win, scroll)
	return scroll
}

// fitDialogBody sizes a dialog's body (dialogBody) to its content as it is
// now: after a part of it was hidden, the dialog may shrink.
func fitDialogBody(win fyne.Window, body *container.Scroll) {
	w := dialogWidth(win)
	// Wrapped labels know their height once they know their width.
	body.Content.Resize(fyne.NewSize(w, body.Content.MinSize().Height))
	h := min(body.Content.MinSize().Height, max(win.Canvas().Size().Height*0.6, 200))
	body.SetMinSize(fyne.NewSize(w, h))
}

// newProblemLabel shows a translated problem of the last call in the
// danger colour, with a button to its help centre page (code); it takes
// no room while text is empty.
func newProblemLabel(win fyne.Window, s *app.Session, text, code binding.String) fyne.CanvasObject {
	l := widget.NewLabelWithData(text)
	whileDrawn(s, l.Unbind)
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	help := newWrapButton(lang.L("help.open"), theme.HelpIcon(), func() {
		c, _ := code.Get()
		showHelp(win, c)
	})
	help.SetImportance(widget.LowImportance)
	box := container.NewVBox(l, buttons(help))
	box.Hide()
	listen(s, text, func() {
		if p, _ := text.Get(); p == "" {
			box.Hide()
		} else {
			box.Show()
		}
	})
	return box
}

// newBanner is the strip at the top of every screen while the service
// cannot be reached: what it means for what is shown, and a retry.
func newBanner(s *app.Session) fyne.CanvasObject {
	msg := widget.NewLabelWithData(s.Connection.Banner)
	whileDrawn(s, msg.Unbind)
	msg.Wrapping = fyne.TextWrapWord
	msg.Importance = widget.WarningImportance
	retry := newWrapButton(lang.L("offline.retry"), theme.ViewRefreshIcon(), func() { s.Background(s.Connection.Retry) })
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameHover))
	box := container.NewStack(bg, beside(msg, retry))
	box.Hide()
	listen(s, s.Connection.Banner, func() {
		if b, _ := s.Connection.Banner.Get(); b == "" {
			box.Hide()
		} else {
			box.Show()
		}
		relayout(box)
	})
	return box
}

// confirm asks a yes-or-no question in the user's language: yes names
// the action (e.g. "Cancel the request"), the other button goes back.
// Its title wraps as newDialog's.
func confirm(win fyne.Window, title, message, yes string, onYes func()) {
	var d *dialog.CustomDialog
	ok := newWrapButton(yes, theme.ConfirmIcon(), func() {
		d.Hide()
		onYes()
	})
	ok.SetImportance(widget.HighImportance)
	back := newWrapButton(lang.L("request.new_back"), theme.CancelIcon(), func() { d.Hide() })
	d = newDialog(win, title, wrapped(message), back, ok)
	present(win, d, d.Hide)
}
