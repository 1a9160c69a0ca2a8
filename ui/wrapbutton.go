package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// wrapButton is a button whose text wraps onto more lines when the window
// is narrow. Fyne's buttons keep their text on one line, and at a large
// text size (Profile, up to 200 %) a long one forced a phone's window
// wider. The button itself draws the background, hover, focus and
// disabled state and takes taps and keys; the text lies over it.
type wrapButton struct {
	widget.BaseWidget
	Text     string
	Icon     fyne.Resource
	OnTapped func()
	button   *widget.Button
	label    *widget.RichText
	text     *widget.TextSegment
}

// newWrapButton returns a wrapping button with an optional icon.
func newWrapButton(text string, icon fyne.Resource, tapped func()) *wrapButton {
	b := &wrapButton{Text: text, Icon: icon, OnTapped: tapped}
	b.button = widget.NewButton("", func() {
		if b.OnTapped != nil {
			b.OnTapped()
		}
	})
	b.text = &widget.TextSegment{Text: text, Style: widget.RichTextStyleStrong} // bold, as Fyne's buttons
	b.label = widget.NewRichText(b.text)
	b.label.Wrapping = fyne.TextWrapWord
	b.ExtendBaseWidget(b)
	return b
}

// SetImportance sets how strongly the button stands out.
func (b *wrapButton) SetImportance(i widget.Importance) {
	b.button.Importance = i
	b.button.Refresh()
	b.Refresh()
}

// Disable greys the button out and stops its taps.
func (b *wrapButton) Disable() { b.button.Disable(); b.Refresh() }

// Enable undoes Disable.
func (b *wrapButton) Enable() { b.button.Enable(); b.Refresh() }

// Disabled tells whether the button is greyed out.
func (b *wrapButton) Disabled() bool { return b.button.Disabled() }

// Tapped lets a tap anywhere on the button (the text included) press it.
func (b *wrapButton) Tapped(*fyne.PointEvent) {
	if !b.button.Disabled() && b.OnTapped != nil {
		b.OnTapped()
	}
}

// CreateRenderer lays the text over the button.
func (b *wrapButton) CreateRenderer() fyne.WidgetRenderer {
	icon := canvas.NewImageFromResource(b.Icon)
	icon.FillMode = canvas.ImageFillContain
	r := &wrapButtonRenderer{b: b, icon: icon}
	r.Refresh()
	return r
}

type wrapButtonRenderer struct {
	b    *wrapButton
	icon *canvas.Image
}

func (r *wrapButtonRenderer) iconSize() float32 {
	if r.b.Icon == nil {
		return 0
	}
	return theme.Size(theme.SizeNameInlineIcon)
}

func (r *wrapButtonRenderer) Layout(size fyne.Size) {
	r.b.button.Resize(size)
	r.b.button.Move(fyne.Position{})
	pad := theme.Padding()
	x := pad
	if s := r.iconSize(); s > 0 {
		r.icon.Resize(fyne.NewSquareSize(s))
		r.icon.Move(fyne.NewPos(x+pad, (size.Height-s)/2))
		x += s + 2*pad
	}
	fitWidth(r.b.label, size.Width-x-pad)
	r.b.label.Move(fyne.NewPos(x, (size.Height-r.b.label.Size().Height)/2))
}

// heightAt resizes o to width and returns the height it then needs: a
// wrapping text's (a wrapButton's) follows its width.
func heightAt(o fyne.CanvasObject, width float32) float32 {
	o.Resize(fyne.NewSize(width, o.Size().Height))
	return o.MinSize().Height
}

// fitWidth resizes o to width and the height it needs at that width.
func fitWidth(o fyne.CanvasObject, width float32) {
	o.Resize(fyne.NewSize(width, heightAt(o, width)))
}

func (r *wrapButtonRenderer) MinSize() fyne.Size {
	pad := theme.Padding()
	label := r.b.label.MinSize()
	w := label.Width + 2*pad
	if s := r.iconSize(); s > 0 {
		w += s + 2*pad
	}
	return fyne.NewSize(w, max(label.Height, r.b.button.MinSize().Height))
}

func (r *wrapButtonRenderer) Refresh() {
	r.b.text.Text = r.b.Text
	r.b.text.Style.ColorName = theme.ColorNameForeground
	switch {
	case r.b.button.Disabled():
		r.b.text.Style.ColorName = theme.ColorNameDisabled
	case r.b.button.Importance == widget.HighImportance:
		r.b.text.Style.ColorName = theme.ColorNameForegroundOnPrimary
	case r.b.button.Importance == widget.DangerImportance:
		r.b.text.Style.ColorName = theme.ColorNameForegroundOnError
	case r.b.button.Importance == widget.WarningImportance:
		r.b.text.Style.ColorName = theme.ColorNameForegroundOnWarning
	case r.b.button.Importance == widget.SuccessImportance:
		r.b.text.Style.ColorName = theme.ColorNameForegroundOnSuccess
	}
	r.icon.Resource = r.b.Icon
	if r.b.Icon != nil && r.b.button.Disabled() {
		r.icon.Resource = theme.NewDisabledResource(r.b.Icon)
	}
	r.icon.Hidden = r.b.Icon == nil
	r.icon.Refresh()
	r.b.label.Refresh()
	r.b.button.Refresh()
}

func (r *wrapButtonRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.b.button, r.icon, r.b.label}
}

func (r *wrapButtonRenderer) Destroy() {}

// naturalWidth is the button's width with its text on one line.
func (b *wrapButton) naturalWidth() float32 {
	pad := theme.Padding()
	w := fyne.MeasureText(b.Text, theme.TextSize(), b.text.Style.TextStyle).Width + 2*theme.InnerPadding() + 2*pad
	if b.Icon != nil {
		w += theme.Size(theme.SizeNameInlineIcon) + 2*pad
	}
	return w
}

// buttons lays out objects one under another, each as wide as its text
// on one line when that fits, else as wide as there is room (a
// wrapButton's text then wraps). It replaces a row of buttons, which
// cannot get narrower than its buttons side by side.
func buttons(objects ...fyne.CanvasObject) *fyne.Container {
	return container.New(leadingColumn{}, objects...)
}

type leadingColumn struct{}

func (leadingColumn) natural(o fyne.CanvasObject) float32 {
	switch n := o.(type) {
	case interface{ naturalWidth() float32 }:
		return max(n.naturalWidth(), o.MinSize().Width)
	case *widget.Select:
		return max(selectWidth(n), o.MinSize().Width)
	}
	return o.MinSize().Width
}

// selectWidth is the width of a choice with its longest option shown
// whole: Fyne's Select is only as wide as its placeholder and cuts what
// is longer ("All applicat…" on the desk), as its renderer measures.
func selectWidth(s *widget.Select) float32 {
	style := fyne.TextStyle{}
	text := fyne.MeasureText(s.PlaceHolder, theme.TextSize(), style).Width
	for _, o := range s.Options {
		text = max(text, fyne.MeasureText(o, theme.TextSize(), style).Width)
	}
	return text + 4*theme.InnerPadding() + theme.Size(theme.SizeNameInlineIcon)
}

func (l leadingColumn) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	stackDown(objects, theme.Padding(), func(o fyne.CanvasObject) float32 { return min(l.natural(o), size.Width) })
}

func (leadingColumn) MinSize(objects []fyne.CanvasObject) fyne.Size {
	return stackMinSize(objects, theme.Padding())
}

// stackDown places the visible objects one under another from the top,
// gap apart (a negative gap overlaps them), each as wide as width says
// and as tall as it needs at that width: told its width before its height
// is asked, as a wrapping text must be. It lays out leadingColumn and
// rowLines.
func stackDown(objects []fyne.CanvasObject, gap float32, width func(fyne.CanvasObject) float32) {
	y := float32(0)
	for _, o := range objects {
		if !o.Visible() {
			continue
		}
		fitWidth(o, width(o))
		o.Move(fyne.NewPos(0, y))
		y += o.Size().Height + gap
	}
}

// stackMinSize is the least size of the visible objects stacked down gap
// apart: the widest one's width and their heights added.
func stackMinSize(objects []fyne.CanvasObject, gap float32) fyne.Size {
	var s fyne.Size
	n := 0
	for _, o := range objects {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		s.Width = max(s.Width, m.Width)
		s.Height += m.Height
		n++
	}
	if n > 1 {
		s.Height += float32(n-1) * gap
	}
	return s
}

// wrapRow lays its objects out left to right, each as wide as its text on
// one line when that fits, and starts another row when the next one does
// not fit: one row of controls on a desktop, several on a phone. Its
// height depends on its width, which MinSize is not told; as a wrapping
// label does, it uses the width it was last laid out at (one row before
// that), and Fyne lays the parent out again when the height changes.
type wrapRow struct {
	width float32
}

// newWrapRow returns a container of objects in a wrapRow.
func newWrapRow(objects ...fyne.CanvasObject) *fyne.Container {
	return container.New(&wrapRow{}, objects...)
}

// place calls at for each visible object with its position and size in
// rows of width (0: one row), and returns the height of all rows.
func (l *wrapRow) place(objects []fyne.CanvasObject, width float32, at func(o fyne.CanvasObject, pos fyne.Position, size fyne.Size)) float32 {
	pad := theme.Padding()
	x, y, rowH := float32(0), float32(0), float32(0)
	for _, o := range objects {
		if !o.Visible() {
			continue
		}
		w := leadingColumn{}.natural(o)
		if width > 0 {
			w = min(w, width)
			if x > 0 && x+w > width {
				x, y, rowH = 0, y+rowH+pad, 0
			}
		}
		h := o.MinSize().Height
		at(o, fyne.NewPos(x, y), fyne.NewSize(w, h))
		x += w + pad
		rowH = max(rowH, h)
	}
	return y + rowH
}

func (l *wrapRow) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	l.width = size.Width
	l.place(objects, size.Width, func(o fyne.CanvasObject, pos fyne.Position, s fyne.Size) {
		fitWidth(o, s.Width)
		o.Move(pos)
	})
}

// MinSize is as wide as the widest object, so that the row may wrap down
// to one object a row, and as high as the rows at the last width.
func (l *wrapRow) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var w float32
	for _, o := range objects {
		if o.Visible() {
			w = max(w, o.MinSize().Width)
		}
	}
	return fyne.NewSize(w, l.place(objects, l.width, func(fyne.CanvasObject, fyne.Position, fyne.Size) {}))
}

// newDisclosure shows title as a wrapping button that shows and hides
// content below it (Fyne's accordion keeps its title on one line).
func newDisclosure(title string, content fyne.CanvasObject) *fyne.Container {
	content.Hide()
	toggle := newWrapButton(title, theme.MenuExpandIcon(), nil)
	box := container.NewVBox(toggle, content)
	toggle.OnTapped = func() {
		if content.Visible() {
			content.Hide()
			toggle.Icon = theme.MenuExpandIcon()
		} else {
			content.Show()
			toggle.Icon = theme.MenuDropDownIcon()
		}
		toggle.Refresh()
		box.Refresh()
	}
	return box
}

// beside lays content out with an action at its trailing edge (a title
// and "Mark all read", a message and "Try again"). The action is as wide
// as its text on one line while that takes at most half the width, else
// half (a wrapButton's text then wraps); content takes the rest. In a
// Border's trailing slot a wrapButton got only its minimum width, the
// width of its widest letter, and stood one letter a line.
func beside(content, action fyne.CanvasObject) *fyne.Container {
	return container.New(trailingAction{}, content, action)
}

type trailingAction struct{}

// actionWidth is the action's width in a row of width.
func (trailingAction) actionWidth(action fyne.CanvasObject, width float32) float32 {
	return min(leadingColumn{}.natural(action), max(action.MinSize().Width, width/2))
}

func (l trailingAction) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	content, action := objects[0], objects[1]
	if !action.Visible() {
		content.Resize(size)
		content.Move(fyne.Position{})
		return
	}
	w := l.actionWidth(action, size.Width)
	h := min(heightAt(action, w), size.Height)
	action.Resize(fyne.NewSize(w, h))
	action.Move(fyne.NewPos(size.Width-w, (size.Height-h)/2))
	content.Resize(fyne.NewSize(max(size.Width-w-theme.Padding(), 0), size.Height))
	content.Move(fyne.Position{})
}

func (trailingAction) MinSize(objects []fyne.CanvasObject) fyne.Size {
	content, action := objects[0].MinSize(), objects[1]
	if !action.Visible() {
		return content
	}
	a := action.MinSize()
	return fyne.NewSize(content.Width+theme.Padding()+a.Width, max(content.Height, a.Height))
}
