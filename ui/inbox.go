package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/app"
)

// NewInboxScreen lists what happened to the user's requests, newest
// first; a message opens its request.
func NewInboxScreen(s *app.Session, open func(requestID string)) fyne.CanvasObject {
	model := s.Inbox
	list := widget.NewListWithData(model.Messages, newTwoLineRow, func(item binding.DataItem, obj fyne.CanvasObject) {
		v, _ := item.(binding.Untyped).Get()
		if m, ok := v.(app.Message); ok {
			setTwoLineRow(obj, m.Title, formatTime(m.At)+" · "+m.Body)
		}
	})
	list.OnSelected = func(id widget.ListItemID) {
		list.Unselect(id)
		if v, err := model.Messages.GetValue(id); err == nil {
			if m, ok := v.(app.Message); ok {
				open(m.RequestID)
			}
		}
	}
	empty := NewEmptyState(theme.MailComposeIcon(), "inbox")
	model.Messages.AddListener(binding.NewDataListener(func() {
		if model.Messages.Length() == 0 {
			empty.Show()
			list.Hide()
		} else {
			empty.Hide()
			list.Show()
		}
	}))
	return container.NewStack(list, empty)
}
