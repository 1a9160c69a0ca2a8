package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// TestTextRowsCountsWordWrapping: a growing field counted a paragraph's
// lines as its width over the field's, which undercounts when words wrap
// early: three words of 0.6 field widths each take three lines, not two,
// and the third was hidden under the field's edge. Lines are counted as
// the words wrap; a word wider than the field breaks, as Fyne breaks it.
func TestTextRowsCountsWordWrapping(t *testing.T) {
	test.NewTempApp(t)
	word := strings.Repeat("m", 12)
	w := fyne.MeasureText(word, theme.TextSize(), fyne.TextStyle{}).Width
	width := w / 0.6
	for _, c := range []struct {
		text string
		want int
	}{
		{"", 1},
		{word, 1},
		{word + " " + word + " " + word, 3},
		{word + "\n\n" + word, 3},
		{strings.Repeat("m", 30), 2}, // 1.5 widths, no space: broken once
		{"a b c", 1},
	} {
		if got := textRows(c.text, width, fyne.TextStyle{}); got != c.want {
			t.Errorf("%q at %.0f px: %d lines, want %d", c.text, width, got, c.want)
		}
	}
}
