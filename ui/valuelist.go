package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/widget"
)

// newValueList is a list of the values in data: create makes a row and
// fill shows a value in it. Its rows follow the values themselves, where
// widget.NewListWithData redraws only when their number changes: the
// inbox kept showing messages unread after "Mark all read", and a search
// with as many results as the last one showed the last one's services
// (tapping one opened another).
//
// The rows are drawn from a copy of the values that the listeners keep:
// an item's listener may run while the list is being set, with its lock
// held, so reading the list from there would wait for ever.
func newValueList(data binding.UntypedList, create func() fyne.CanvasObject, fill func(v any, row fyne.CanvasObject)) *widget.List {
	var values []any
	var watched []binding.DataItem // the items whose listener updates values
	l := widget.NewList(func() int { return len(values) }, create, func(i widget.ListItemID, row fyne.CanvasObject) {
		if i < len(values) {
			fill(values[i], row)
		}
	})
	data.AddListener(binding.NewDataListener(func() { // the number of values changed
		values = values[:0]
		watched = watched[:min(len(watched), data.Length())]
		for i := range data.Length() {
			item, err := data.GetItem(i)
			if err != nil {
				break
			}
			v, _ := item.(binding.Untyped).Get()
			values = append(values, v)
			if i < len(watched) && watched[i] == item {
				continue
			}
			// A new item: the list grew (perhaps after it shrank, which
			// replaced the items past its end). Its value was just read,
			// and the Refresh below draws it: only its changes to come
			// are followed (16 rows drawn twice took 0.13 s at start).
			onChange(item, func() {
				if i < len(values) {
					values[i], _ = item.(binding.Untyped).Get()
					l.RefreshItem(i)
				}
			})
			if i < len(watched) {
				watched[i] = item
			} else {
				watched = append(watched, item)
			}
		}
		l.Refresh()
	}))
	return l
}

// onChange calls f whenever data changes from now on. Fyne's AddListener
// also calls a new listener at once, for the value data has already.
func onChange(data binding.DataItem, f func()) {
	now := true
	data.AddListener(binding.NewDataListener(func() {
		if now {
			now = false
			return
		}
		f()
	}))
}
