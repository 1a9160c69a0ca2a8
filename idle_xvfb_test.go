package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/internal/launch"
)

// TestRealAppRestsWhenLeftAlone (issue 16 item 5): the real app under
// Xvfb, started and left alone, and again after a search typed into its
// catalogue, uses less than a tenth of a core (over 4 s, from 2 s after
// each). Before, progress bars that no longer showed (the start-up
// screen's, the catalogue's) kept the window repainting at its frame rate
// for about 70 s after each start: this test saw 2.4 s and 1.9 s of
// processor time in the two 4 s (the second still within those 70 s).
func TestRealAppRestsWhenLeftAlone(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real app and Xvfb")
	}
	needTools(t, "tesseract", "convert")
	d := startDesktop(t)
	app := d.startApp(t, filepath.Join(d.dir, "data"))
	rests := func(after string) {
		t.Helper()
		time.Sleep(2 * time.Second)
		const over = 4 * time.Second
		before, err := launch.CPUTime(app.cmd.Process.Pid)
		must(t, err)
		time.Sleep(over)
		now, err := launch.CPUTime(app.cmd.Process.Pid)
		must(t, err)
		if used := now - before; used > over/10 {
			t.Errorf("%s, left alone, the app used %v of processor time in %v", after, used, over)
		}
	}
	rests("started")
	win := strings.Fields(d.run(t, "xdotool", "search", "--sync", "--onlyvisible", "--name", "^Vienreiz$"))[0]
	// The search field, the first place Tab goes (the cursor's blinking
	// while it has the focus is Fyne's), then Tab to the category filter.
	d.run(t, "xdotool", "key", "--window", win, "Tab")
	d.run(t, "xdotool", "type", "--delay", "50", "pension")
	(&screenReader{d: d, prefix: "idle"}).seen(t, "2 services", 30*time.Second)
	d.run(t, "xdotool", "key", "--window", win, "Tab")
	rests("after a search")
}
