package ui

import (
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

func (b *navButton) CreateRenderer() fyne.WidgetRenderer {
	r := &navButtonRenderer{b: b, img: canvas.NewImageFromResource(nil), text: canvas.NewText("", nil), bg: canvas.NewRectangle(nil)}
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
}

const navIconSize = 24

func (r *navButtonRenderer) Layout(size fyne.Size) {
	pad := theme.Padding()
	r.bg.Resize(size)
	textSize := r.text.MinSize()
	top := (size.Height - navIconSize - textSize.Height - pad/2) / 2
	r.img.Move(fyne.NewPos((size.Width-navIconSize)/2, top))
	r.img.Resize(fyne.NewSquareSize(navIconSize))
	r.text.Move(fyne.NewPos(0, top+navIconSize+pad/2))
	r.text.Resize(fyne.NewSize(size.Width, textSize.Height))
}

func (r *navButtonRenderer) MinSize() fyne.Size {
	pad := theme.Padding()
	t := r.text.MinSize()
	w := max(t.Width, navIconSize) + 2*pad
	if r.b.compact {
		// The caption may be wider than this: five destinations share a
		// 360 px phone, and the bar gives each a fifth of it.
		w = navIconSize + 2*pad
	}
	return fyne.NewSize(w, navIconSize+t.Height+pad/2+2*pad)
}

func (r *navButtonRenderer) Refresh() {
	r.text.Text = r.b.label
	r.text.TextSize = theme.CaptionTextSize()
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
	r.img.Refresh()
	r.text.Refresh()
	r.bg.Refresh()
}

func (r *navButtonRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.img, r.text}
}

func (r *navButtonRenderer) Destroy() {}
