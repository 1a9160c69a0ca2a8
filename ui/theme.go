package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/vienreiz/vienreiz/app"
)

// appTheme is Fyne's theme with a focus colour that can be seen (the
// keyboard's place in lists and on buttons was a faint tint before), the
// user's text size and, when chosen, high contrast colours.
type appTheme struct {
	base fyne.Theme
	// textScale multiplies the sizes of text and of the icons in it.
	textScale    float32
	highContrast bool
}

// newAppTheme wraps base (the base of base when it is ours) with the
// display settings d; nil d is the normal size and contrast.
func newAppTheme(base fyne.Theme, d *app.Display) fyne.Theme {
	if t, ours := base.(appTheme); ours {
		base = t.base
	}
	t := appTheme{base: base, textScale: 1}
	if d != nil {
		t.textScale, t.highContrast = d.TextScale(), d.HighContrast()
	}
	return t
}

// Color gives the high contrast palette when chosen, the primary colour
// half opaque for focus, and base's colour for the rest.
func (t appTheme) Color(name fyne.ThemeColorName, variant fyne.ThemeVariant) color.Color {
	if t.highContrast {
		if c, ok := highContrast(name, variant); ok {
			return c
		}
	}
	if name == theme.ColorNameFocus {
		r, g, b, _ := t.base.Color(theme.ColorNamePrimary, variant).RGBA()
		return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0x99}
	}
	return t.base.Color(name, variant)
}

// Size scales the sizes of text and inline icons by the text size.
func (t appTheme) Size(name fyne.ThemeSizeName) float32 {
	s := t.base.Size(name)
	switch name {
	case theme.SizeNameText, theme.SizeNameHeadingText, theme.SizeNameSubHeadingText,
		theme.SizeNameCaptionText, theme.SizeNameInlineIcon:
		return s * t.textScale
	}
	return s
}

func (t appTheme) Font(s fyne.TextStyle) fyne.Resource { return t.base.Font(s) }

func (t appTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.base.Icon(n) }

// contrastPalette is high contrast in one variant: text and lines in the
// foreground colour on the background, actions in an accent that stands
// out as strongly.
type contrastPalette struct {
	fg, bg, accent, onAccent, muted, button, selection color.Color
}

var (
	contrastLight = contrastPalette{
		fg: color.Black, bg: color.White,
		accent: color.NRGBA{R: 0x00, G: 0x33, B: 0x99, A: 0xff}, onAccent: color.White,
		muted:     color.NRGBA{R: 0x40, G: 0x40, B: 0x40, A: 0xff},
		button:    color.NRGBA{R: 0xe6, G: 0xe6, B: 0xe6, A: 0xff},
		selection: color.NRGBA{R: 0xff, G: 0xdd, B: 0x00, A: 0xff},
	}
	contrastDark = contrastPalette{
		fg: color.White, bg: color.Black,
		accent: color.NRGBA{R: 0xff, G: 0xdd, B: 0x00, A: 0xff}, onAccent: color.Black,
		muted:     color.NRGBA{R: 0xc8, G: 0xc8, B: 0xc8, A: 0xff},
		button:    color.NRGBA{R: 0x26, G: 0x26, B: 0x26, A: 0xff},
		selection: color.NRGBA{R: 0x00, G: 0x4c, B: 0xcc, A: 0xff},
	}
)

// highContrast is the high contrast colour of name in variant, if it has
// one of its own.
func highContrast(name fyne.ThemeColorName, variant fyne.ThemeVariant) (color.Color, bool) {
	p := contrastLight
	if variant == theme.VariantDark {
		p = contrastDark
	}
	switch name {
	case theme.ColorNameBackground, theme.ColorNameInputBackground, theme.ColorNameOverlayBackground,
		theme.ColorNameMenuBackground, theme.ColorNameHeaderBackground:
		return p.bg, true
	case theme.ColorNameForeground, theme.ColorNameInputBorder, theme.ColorNameSeparator, theme.ColorNameScrollBar:
		return p.fg, true
	case theme.ColorNamePrimary, theme.ColorNameHyperlink, theme.ColorNameFocus:
		return p.accent, true
	case theme.ColorNameForegroundOnPrimary:
		return p.onAccent, true
	case theme.ColorNameDisabled, theme.ColorNamePlaceHolder:
		return p.muted, true
	case theme.ColorNameButton, theme.ColorNameHover, theme.ColorNamePressed, theme.ColorNameDisabledButton:
		return p.button, true
	case theme.ColorNameSelection:
		return p.selection, true
	}
	return nil, false
}
