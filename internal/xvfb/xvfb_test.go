package xvfb

import (
	"os"
	"testing"
)

// TestStartGivesDisplaysAndCleansUp: two servers get displays of their
// own, each with its socket; when the test that started them ends, they
// have gone and taken their sockets with them (killed servers left theirs
// behind, and a fixed range of display numbers ran out).
func TestStartGivesDisplaysAndCleansUp(t *testing.T) {
	var displays []string
	t.Run("two servers", func(t *testing.T) {
		displays = []string{Start(t, "640x480"), Start(t, "640x480")}
		if displays[0] == displays[1] {
			t.Fatalf("both servers on %s", displays[0])
		}
		for _, d := range displays {
			if _, err := os.Stat(socket(d)); err != nil {
				t.Errorf("display %s has no socket: %v", d, err)
			}
		}
	})
	for _, d := range displays {
		if _, err := os.Stat(socket(d)); !os.IsNotExist(err) {
			t.Errorf("display %s left its socket behind (%v)", d, err)
		}
	}
}

func socket(display string) string { return "/tmp/.X11-unix/X" + display[1:] }
