package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/app"
)

// NewInboxScreen lists the user's messages, newest first, unread ones in
// bold: what happened, to which service and evidence, from whom. A
// message opens its request and counts as read. Below the list, while the
// service holds older messages, a button lists them.
func NewInboxScreen(win fyne.Window, s *app.Session, open func(requestID string)) fyne.CanvasObject {
	model := s.Inbox
	list, listed := newValueList(s, model.Messages, newMessageRow, func(v any, obj fyne.CanvasObject) {
		if m, ok := v.(app.Message); ok {
			setMessageRow(obj, m)
		}
	})
	list.OnSelected = func(id widget.ListItemID) {
		list.Unselect(id)
		v, err := model.Messages.GetValue(id)
		m, ok := v.(app.Message)
		if err != nil || !ok {
			return
		}
		open(m.RequestID)
		call(s, func(ctx context.Context) {
			_ = model.MarkRead(ctx, m)
		})
	}
	markAll := newWrapButton(lang.L("inbox.mark_all_read"), theme.ConfirmIcon(), func() {
		call(s, func(ctx context.Context) {
			if err := model.MarkAllRead(ctx); err != nil {
				fyne.Do(func() { showProblem(win, app.ProblemOf(err)) })
			}
		})
	})
	markAll.SetImportance(widget.LowImportance)
	older := newWrapButton(lang.L("inbox.older"), theme.HistoryIcon(), func() {
		shown := model.Messages.Length()
		call(s, func(ctx context.Context) {
			err := model.LoadOlder(ctx)
			fyne.Do(func() {
				switch {
				case err != nil:
					showProblem(win, app.ProblemOf(err))
				case model.Messages.Length() > shown:
					// The first of them at the top: from the end, the
					// list scrolls up until it shows.
					list.ScrollToBottom()
					list.ScrollTo(shown)
				}
			})
		})
	})
	older.SetImportance(widget.LowImportance)
	title := widget.NewLabelWithStyle(lang.L("nav.inbox"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis
	top := beside(title, markAll)
	empty := NewEmptyState(theme.MailComposeIcon(), "inbox")
	update := func() {
		unread, _ := model.Unread.Get()
		if unread == 0 {
			markAll.Disable()
		} else {
			markAll.Enable()
		}
		if more, _ := model.More.Get(); more {
			older.Show()
		} else {
			older.Hide()
		}
		if model.Messages.Length() == 0 {
			empty.Show()
			list.Hide()
		} else {
			empty.Hide()
			list.Show()
		}
	}
	listen(s, model.Messages, update)
	listen(s, model.Unread, update)
	listen(s, model.More, update)
	call(s, func(ctx context.Context) {
		_ = model.Refresh(ctx)
	})
	return newBorder(container.NewVBox(top, newProblemLabel(win, s, model.Problem, model.ProblemCode)), older, nil, nil, container.NewStack(listed, empty))
}

// newMessageRow is a message's list row: what happened (bold while
// unread), what it is about, and who sent it when.
func newMessageRow() fyne.CanvasObject {
	title := widget.NewLabel("")
	title.Wrapping = fyne.TextWrapWord // the list makes the row tall enough (rowFitter)
	about := widget.NewLabel("")
	about.Wrapping = fyne.TextWrapWord
	meta := widget.NewLabel("") // who, when and the start of the message: a preview, cut
	meta.Truncation = fyne.TextTruncateEllipsis
	meta.SizeName = theme.SizeNameCaptionText
	return newRowLines(title, about, meta)
}

func setMessageRow(obj fyne.CanvasObject, m app.Message) {
	box := obj.(*fyne.Container)
	title, about, meta := box.Objects[0].(*widget.Label), box.Objects[1].(*widget.Label), box.Objects[2].(*widget.Label)
	text := m.Title
	if m.ActionNeeded {
		text = "● " + text + " · " + lang.L("inbox.action_needed")
	} else if !m.Read {
		text = "● " + text
	}
	title.TextStyle = fyne.TextStyle{Bold: !m.Read}
	title.SetText(text)
	about.SetText(m.About)
	meta.SetText(m.From + " · " + formatTime(m.At) + " · " + m.Body)
}
