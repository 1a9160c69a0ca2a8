package ui

import (
	"reflect"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/vienreiz/vienreiz/app"
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
//
// Each row is as tall as its content at the list's width (rowFitter):
// wrapping text takes the lines it needs. The list goes on screen as
// view, which holds it.
func newValueList(s *app.Session, data binding.UntypedList, create func() fyne.CanvasObject, fill func(v any, row fyne.CanvasObject)) (list *widget.List, view fyne.CanvasObject) {
	var values []any
	var watched []binding.DataItem // the items whose listener updates values
	l := widget.NewList(func() int { return len(values) }, create, func(i widget.ListItemID, row fyne.CanvasObject) {
		if i < len(values) {
			fill(values[i], row)
		}
	})
	fitter, view := fitRows(l)
	// Fyne's list tells every item of a Set, changed or not: the rows of
	// the values that changed are measured and the list redrawn once,
	// after all of them were told.
	changed := map[int]bool{}
	flushing := false
	flush := func() {
		flushing = false
		if len(changed) == 0 {
			return // the number of values changed meanwhile: all were fitted
		}
		for i := range changed {
			fitter.fitRow(i)
		}
		clear(changed)
		l.Refresh()
	}
	listen(s, data, func() { // the number of values changed
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
			// and the fit below draws it: only its changes to come are
			// followed (16 rows drawn twice took 0.13 s at start).
			onChange(s, item, func() {
				v, _ := item.(binding.Untyped).Get()
				if i >= len(values) || reflect.DeepEqual(values[i], v) {
					return
				}
				values[i] = v
				changed[i] = true
				if !flushing {
					flushing = true
					fyne.Do(flush)
				}
			})
			if i < len(watched) {
				watched[i] = item
			} else {
				watched = append(watched, item)
			}
		}
		clear(changed)
		fitter.fit()
	})
	return l, view
}

// rowFitter lays out a list and makes each of its rows as tall as the
// row's content at the list's width, again when the width changes: a
// row's text wraps rather than being cut (at 200 % on a phone the services
// "Register a vehicle from another member state" and "Register a vehicle
// in Germany" both showed as "Register a vehicle…"). Whoever changes the
// list's rows calls fit (a value list does).
type rowFitter struct {
	list  *widget.List
	row   fyne.CanvasObject // a row of the list, filled with each item to measure it
	width float32
	// template is the height the list gives a row it was not told of (an
	// empty row's); heights are the rows' heights it was told.
	template float32
	heights  map[int]float32
}

// fitRows returns list's rowFitter and the view that holds the list on
// screen.
func fitRows(list *widget.List) (*rowFitter, fyne.CanvasObject) {
	f := &rowFitter{list: list, row: list.CreateItem(), template: list.CreateItem().MinSize().Height, heights: map[int]float32{}}
	return f, container.New(f, list)
}

// fit sets the height of every row for the list's width and redraws the
// list where it was scrolled to. The list is told each height while it
// says it has no rows: each telling redraws the visible rows, and the
// rows of a long list wrapped on a phone each have a height of their own.
func (f *rowFitter) fit() {
	n, length, offset := f.list.Length(), f.list.Length, f.list.GetScrollOffset()
	f.list.Length = func() int { return 0 }
	for i := range n {
		f.measure(i)
	}
	f.list.Length = length
	f.list.Refresh()
	f.list.ScrollToOffset(offset)
}

// fitRow sets the height of row i for the list's width.
func (f *rowFitter) fitRow(i int) {
	if i < f.list.Length() {
		f.measure(i)
	}
}

// measure tells the list the height of row i at its width. The list is
// told only a height it does not have, as each telling redraws it.
func (f *rowFitter) measure(i int) {
	if f.width <= 0 {
		return
	}
	f.list.UpdateItem(i, f.row)
	h := heightAt(f.row, f.width)
	if had, told := f.heights[i]; told && had == h || !told && h == f.template {
		return
	}
	f.heights[i] = h
	f.list.SetItemHeight(i, h)
}

func (f *rowFitter) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	if size.Width != f.width {
		f.width = size.Width
		f.fit()
	}
	objects[0].Move(fyne.NewPos(0, 0))
	objects[0].Resize(size)
}

func (f *rowFitter) MinSize(objects []fyne.CanvasObject) fyne.Size { return objects[0].MinSize() }

// rowLines lays out a list row's lines one under another, each as wide as
// the row and as tall as its text wrapped at that width, overlapping by
// their padding as the tight VBox before it did. (Fyne's VBox asks a
// wrapping label its height before telling it its width: a name that
// needed two lines got the height of one.)
type rowLines struct{}

// newRowLines returns a row of lines.
func newRowLines(lines ...fyne.CanvasObject) *fyne.Container {
	return container.New(rowLines{}, lines...)
}

func (rowLines) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	stackDown(objects, -2*theme.Padding(), func(fyne.CanvasObject) float32 { return size.Width })
}

func (rowLines) MinSize(objects []fyne.CanvasObject) fyne.Size {
	return stackMinSize(objects, -2*theme.Padding())
}
