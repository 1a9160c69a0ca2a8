package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// appTheme is Fyne's theme with a focus colour that can be seen: the
// keyboard's place in lists and on buttons was a faint tint before.
type appTheme struct{ fyne.Theme }

// newAppTheme wraps base.
func newAppTheme(base fyne.Theme) fyne.Theme { return appTheme{base} }

// Color gives the primary colour, half opaque, for focus; base's colour
// for the rest.
func (t appTheme) Color(name fyne.ThemeColorName, variant fyne.ThemeVariant) color.Color {
	if name == theme.ColorNameFocus {
		r, g, b, _ := t.Theme.Color(theme.ColorNamePrimary, variant).RGBA()
		return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0x99}
	}
	return t.Theme.Color(name, variant)
}
