package ui

import (
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// navButton is one destination of the main navigation: an icon above a
// short caption, coloured when it is the open one.
type navButton struct {
	widget.BaseWidget
	icon     fyne.Resource
	label    string
	selected bool
	onTap    func()
	// compact is set in the bottom bar, where five buttons share a phone's
	// width: the button asks only for its icon's width.
	compact bool
	// badge, when not empty, is drawn at the icon's corner (the unread
	// count of the inbox).
	badge string
	// focused: the keyboard is on the button (Tab reaches it; Space or
	// Enter opens the destination); it is outlined.
	focused bool
}

// FocusGained outlines the button.
func (b *navButton) FocusGained() { b.focused = true; b.Refresh() }

// FocusLost removes the outline.
func (b *navButton) FocusLost() { b.focused = false; b.Refresh() }

// TypedRune ignores typing.
func (b *navButton) TypedRune(rune) {}

// TypedKey opens the destination on Space or Enter.
func (b *navButton) TypedKey(e *fyne.KeyEvent) {
	switch e.Name {
	case fyne.KeySpace, fyne.KeyReturn, fyne.KeyEnter:
		b.Tapped(nil)
	}
}

func newNavButton(icon fyne.Resource, label string, onTap func()) *navButton {
	b := &navButton{icon: icon, label: label, onTap: onTap}
	b.ExtendBaseWidget(b)
	return b
}

// Tapped opens the destination.
func (b *navButton) Tapped(*fyne.PointEvent) {
	if b.onTap != nil {
		b.onTap()
	}
}

func (b *navButton) setSelected(on bool) {
	if b.selected != on {
		b.selected = on
		b.Refresh()
	}
}

// setBadge shows n at the icon's corner, nothing for 0; "99+" above 99.
func (b *navButton) setBadge(n int) {
	badge := ""
	switch {
	case n > 99:
		badge = "99+"
	case n > 0:
		badge = strconv.Itoa(n)
	}
	if badge != b.badge {
		b.badge = badge
		b.Refresh()
	}
}

func (b *navButton) CreateRenderer() fyne.WidgetRenderer {
	r := &navButtonRenderer{b: b, img: canvas.NewImageFromResource(nil), text: canvas.NewText("", nil), bg: canvas.NewRectangle(nil),
		dot: canvas.NewRectangle(nil), count: canvas.NewText("", nil)}
	r.count.Alignment = fyne.TextAlignCenter
	r.count.TextStyle = fyne.TextStyle{Bold: true}
	r.img.FillMode = canvas.ImageFillContain
	r.text.Alignment = fyne.TextAlignCenter
	r.bg.CornerRadius = theme.InputRadiusSize()
	r.Refresh()
	return r
}

type navButtonRenderer struct {
	b    *navButton
	img  *canvas.Image
	text *canvas.Text
	bg   *canvas.Rectangle
	// dot and count draw the badge.
	dot   *canvas.Rectangle
	count *canvas.Text
}

const navIconSize = 24

func (r *navButtonRenderer) Layout(size fyne.Size) {
	pad := theme.Padding()
	r.bg.Resize(size)
	r.fitCaption(size.Width - pad)
	textSize := r.text.MinSize()
	top := (size.Height - navIconSize - textSize.Height - pad/2) / 2
	r.img.Move(fyne.NewPos((size.Width-navIconSize)/2, top))
	r.img.Resize(fyne.NewSquareSize(navIconSize))
	r.text.Move(fyne.NewPos(0, top+navIconSize+pad/2))
	r.text.Resize(fyne.NewSize(size.Width, textSize.Height))
	c := r.count.MinSize()
	badge := fyne.NewSize(max(c.Width+pad, c.Height), c.Height)
	r.dot.Resize(badge)
	r.dot.Move(fyne.NewPos((size.Width+navIconSize)/2-badge.Width/2, top-pad/2))
	r.count.Resize(badge)
	r.count.Move(r.dot.Position())
}

// fitCaption makes the caption of a compact button (a phone's bar, five
// to a 360 px screen) smaller where it would be wider than width: at a
// large text size the captions ran into each other.
func (r *navButtonRenderer) fitCaption(width float32) {
	size := theme.CaptionTextSize()
	r.text.TextSize = size
	if w := r.text.MinSize().Width; r.b.compact && w > width && width > 0 {
		r.text.TextSize = size * width / w
	}
	r.text.Refresh()
}

func (r *navButtonRenderer) MinSize() fyne.Size {
	pad := theme.Padding()
	t := r.text.MinSize()
	// The caption's width in bold, as when selected: a rail as wide as
	// its captions as drawn moved every screen when the widest caption's
	// destination was opened.
	bold := fyne.MeasureText(r.text.Text, r.text.TextSize, fyne.TextStyle{Bold: true})
	w := max(t.Width, bold.Width, navIconSize) + 2*pad
	if r.b.compact {
		// The caption may be wider than this: five destinations share a
		// 360 px phone, and the bar gives each a fifth of it.
		w = navIconSize + 2*pad
	}
	return fyne.NewSize(w, navIconSize+t.Height+pad/2+2*pad)
}

func (r *navButtonRenderer) Refresh() {
	r.text.Text = r.b.label
	r.fitCaption(r.b.Size().Width - theme.Padding())
	if r.b.selected {
		r.img.Resource = theme.NewPrimaryThemedResource(r.b.icon)
		r.text.Color = theme.Color(theme.ColorNamePrimary)
		r.text.TextStyle = fyne.TextStyle{Bold: true}
		r.bg.FillColor = theme.Color(theme.ColorNameHover)
	} else {
		r.img.Resource = theme.NewThemedResource(r.b.icon)
		r.text.Color = theme.Color(theme.ColorNameForeground)
		r.text.TextStyle = fyne.TextStyle{}
		r.bg.FillColor = theme.Color(theme.ColorNameBackground)
	}
	r.count.Text = r.b.badge
	r.count.TextSize = theme.CaptionTextSize()
	r.count.Color = theme.Color(theme.ColorNameForegroundOnError)
	r.dot.FillColor = theme.Color(theme.ColorNameError)
	r.dot.CornerRadius = r.count.MinSize().Height / 2
	if r.b.badge == "" {
		r.dot.Hide()
		r.count.Hide()
	} else {
		r.dot.Show()
		r.count.Show()
	}
	r.Layout(r.b.Size())
	r.bg.StrokeWidth = 0
	if r.b.focused {
		r.bg.StrokeColor = theme.Color(theme.ColorNameFocus)
		r.bg.StrokeWidth = 2
	}
	r.img.Refresh()
	r.text.Refresh()
	r.bg.Refresh()
	r.dot.Refresh()
	r.count.Refresh()
}

func (r *navButtonRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.img, r.text, r.dot, r.count}
}

func (r *navButtonRenderer) Destroy() {}
