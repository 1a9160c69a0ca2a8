package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestTheFinderFindsByAServiceNameReadLate: "pension" is typed before
// the pension claim's request is listed; its row's service name is read
// from the catalogue only once the row is first read. When the name
// comes, the finder looks again and finds the request. Before, it found
// nothing until the list was read again.
func TestTheFinderFindsByAServiceNameReadLate(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	w, s := newApp(t, "en")
	test.Tap(navButtons(t, w)[TabRequests])
	rs := find[*RequestsScreen](w.Content())[0]
	test.Type(rs.finder.Entry, "pension")
	startRequest(t, s, "lv-pension-claim", "LV")
	list := find[*widget.List](rs)[0]
	eventually(t, "the pension claim's request found by its service's name", func() bool { return list.Length() == 1 })
}
