package ui

import (
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
