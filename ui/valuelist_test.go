package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/vienreiz/vienreiz/app"
)

// TestValueListRowsFollowEverySet: whatever the values' number does from
// one Set to the next (the same, less, more, the same again), the rows
// show the values just set.
func TestValueListRowsFollowEverySet(t *testing.T) {
	test.NewTempApp(t)
	data := binding.NewUntypedList()
	l, view := newValueList(new(app.Session), data, func() fyne.CanvasObject { return widget.NewLabel("") }, func(v any, row fyne.CanvasObject) {
		row.(*widget.Label).SetText(v.(string))
	})
	w := test.NewTempWindow(t, view)
	w.Resize(fyne.NewSize(300, 400))
	for _, set := range [][]any{{"a", "b", "c"}, {"x", "y", "z"}, {"p"}, {"q", "r", "s"}, {"t", "u", "v"}, {}, {"k", "l"}} {
		if err := data.Set(set); err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, v := range set {
			want = append(want, v.(string))
		}
		if got := strings.Fields(labels(l)); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("after Set(%v) the rows show %v", set, got)
		}
	}
}

// TestAReloadRedrawsOnlyTheRowsThatChanged: Fyne's list binding tells
// every item of a Set, changed or not, and each told row was measured
// and the whole visible list redrawn; a citizen with 1,553 requests and
// 543 documents had the app busy for 8 s, 10.8 s of CPU, after one new
// request (found as a long-time citizen). Setting the same values again
// draws no row; changing one draws the visible rows once.
func TestAReloadRedrawsOnlyTheRowsThatChanged(t *testing.T) {
	test.NewTempApp(t)
	data := binding.NewUntypedList()
	fills := 0
	_, view := newValueList(new(app.Session), data, func() fyne.CanvasObject { return widget.NewLabel("") }, func(v any, row fyne.CanvasObject) {
		fills++
		row.(*widget.Label).SetText(v.(string))
	})
	w := test.NewTempWindow(t, view)
	w.Resize(fyne.NewSize(300, 400))
	values := func(changed int) []any {
		out := make([]any, 1000)
		for i := range out {
			out[i] = fmt.Sprintf("request %d", i)
		}
		if changed >= 0 {
			out[changed] = "request changed"
		}
		return out
	}
	if err := data.Set(values(-1)); err != nil {
		t.Fatal(err)
	}
	visible := 400 / widget.NewLabel("x").MinSize().Height
	// The first Set measures each row once and draws the visible ones;
	// the list was redrawn for each row it was told the height of.
	if float32(fills) > 1000+2*visible+2 {
		t.Errorf("the first 1,000 values drew %d rows, want each measured once and the %.0f visible ones drawn", fills, visible)
	}
	fills = 0
	if err := data.Set(values(-1)); err != nil {
		t.Fatal(err)
	}
	if fills != 0 {
		t.Errorf("setting the same 1,000 values again drew %d rows, want 0", fills)
	}
	fills = 0
	if err := data.Set(values(3)); err != nil {
		t.Fatal(err)
	}
	if float32(fills) > 2*visible+2 {
		t.Errorf("changing one of 1,000 values drew %d rows, want at most the %.0f visible ones once and the changed one measured", fills, visible)
	}
	if !strings.Contains(labels(w.Content()), "request changed") {
		t.Errorf("the changed value is not shown: %q", labels(w.Content()))
	}
}

// TestALongListOfWrappedRowsIsMeasuredOnce: on a phone at a large text
// size every row wraps, and every row is told a height of its own; each
// telling redrew the visible rows. The first Set of 1,000 such values
// measures each row once and draws the visible ones.
func TestALongListOfWrappedRowsIsMeasuredOnce(t *testing.T) {
	test.NewTempApp(t)
	data := binding.NewUntypedList()
	fills := 0
	list, view := newValueList(new(app.Session), data, func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.Wrapping = fyne.TextWrapWord
		return l
	}, func(v any, row fyne.CanvasObject) {
		fills++
		row.(*widget.Label).SetText(v.(string))
	})
	w := test.NewTempWindow(t, view)
	w.Resize(fyne.NewSize(200, 400))
	values := make([]any, 1000)
	for i := range values {
		values[i] = fmt.Sprintf("request %d about a certificate of residence from Estonia", i)
	}
	list.ScrollToOffset(0)
	if err := data.Set(values); err != nil {
		t.Fatal(err)
	}
	visible := 400 / widget.NewLabel("x").MinSize().Height
	if float32(fills) > 1000+2*visible+2 {
		t.Errorf("the first 1,000 wrapped values drew %d rows, want each measured once and the visible ones drawn", fills)
	}
	list.ScrollToOffset(5000)
	offset := list.GetScrollOffset()
	values = append([]any{"a new request at the top"}, values...)
	if err := data.Set(values); err != nil {
		t.Fatal(err)
	}
	if got := list.GetScrollOffset(); got != offset {
		t.Errorf("a new row moved the list from %.0f to %.0f", offset, got)
	}
}
