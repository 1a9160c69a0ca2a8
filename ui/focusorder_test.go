package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// focusOrder is the kinds of what Tab focuses in w, from the first, n
// times.
func focusOrder(w fyne.Window, n int) []string {
	w.Canvas().Unfocus()
	var order []string
	for range n {
		w.Canvas().FocusNext()
		switch f := w.Canvas().Focused().(type) {
		case *widget.Button:
			order = append(order, "button "+f.Text)
		case *navButton:
			order = append(order, "nav")
		default:
			order = append(order, strings.TrimPrefix(fmt.Sprintf("%T", f), "*widget."))
		}
	}
	return order
}

// TestTabFollowsTheScreensOrder: found trying the desktop app with the
// keyboard alone. Tab from the catalogue's search went to its filters
// and on to the navigation, past the results: the list came first of
// all, before the buttons above it (Fyne's border container puts its
// middle first), so a keyboard user reached a service only by going
// round. On a page the back button came after the page. Tab now goes in
// the order the screen is read: top to bottom.
func TestTabFollowsTheScreensOrder(t *testing.T) {
	w, _ := newApp(t, "en")
	sc := servicesScreen(t, w)
	got := strings.Join(focusOrder(w, 7), ", ")
	if want := "Entry, Select, Select, button Enter a code, button Open a QR picture…, List, nav"; got != want {
		t.Fatalf("Tab on the catalogue goes: %s\nwant: %s", got, want)
	}
	sc.OpenService("lv-vehicle-registration")
	eventually(t, "the service page", func() bool { return strings.Contains(labels(w.Content()), "Evidence needed") })
	if first := focusOrder(w, 1)[0]; first != "button " {
		t.Fatalf("Tab on a service page goes first to %q, want its back button", first)
	}
}
