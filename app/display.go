package app

import (
	"fmt"
	"strconv"
)

// Text sizes the settings offer, in per cent of the normal size.
var TextSizes = []int{100, 125, 150, 175, 200}

// Preference keys of the display settings.
const (
	textSizeKey     = "text_size"
	highContrastKey = "high_contrast"
)

// Display holds how the user wants the app drawn: a text size from 100
// to 200 % and high contrast. Both are remembered in the preferences, so
// they are kept across restarts.
type Display struct {
	prefs        Preferences
	textSize     int
	highContrast bool
	listeners    []func()
}

// NewDisplay reads the remembered settings from prefs (100 % and normal
// contrast when none or an unusable value is there).
func NewDisplay(prefs Preferences) *Display {
	d := &Display{prefs: prefs, textSize: 100}
	if n, err := strconv.Atoi(prefs.String(textSizeKey)); err == nil && validTextSize(n) {
		d.textSize = n
	}
	d.highContrast = prefs.String(highContrastKey) == "true"
	return d
}

func validTextSize(n int) bool { return n >= TextSizes[0] && n <= TextSizes[len(TextSizes)-1] }

// TextSize returns the text size in per cent.
func (d *Display) TextSize() int { return d.textSize }

// TextScale returns the text size as a factor (1 to 2).
func (d *Display) TextScale() float32 { return float32(d.textSize) / 100 }

// HighContrast tells whether high contrast is on.
func (d *Display) HighContrast() bool { return d.highContrast }

// SetTextSize sets, remembers and announces the text size in per cent
// (100–200).
func (d *Display) SetTextSize(percent int) error {
	if !validTextSize(percent) {
		return fmt.Errorf("text size %d %% is outside %d–%d %%", percent, TextSizes[0], TextSizes[len(TextSizes)-1])
	}
	if percent != d.textSize {
		d.textSize = percent
		d.prefs.SetString(textSizeKey, strconv.Itoa(percent))
		d.changed()
	}
	return nil
}

// SetHighContrast turns high contrast on or off, remembers and announces it.
func (d *Display) SetHighContrast(on bool) {
	if on != d.highContrast {
		d.highContrast = on
		d.prefs.SetString(highContrastKey, strconv.FormatBool(on))
		d.changed()
	}
}

// OnChange registers f to run after every change.
func (d *Display) OnChange(f func()) { d.listeners = append(d.listeners, f) }

func (d *Display) changed() {
	for _, f := range d.listeners {
		f()
	}
}
