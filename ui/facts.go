package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/app"
)

// newFacts lists items (their Text is the caption, Widget the value) as
// a caption over its value, one under another. Unlike widget.Form, whose
// captions stand beside the values and never wrap, it fits a phone at any
// text size. addFact and addFacts append to it.
func newFacts(items ...*widget.FormItem) *fyne.Container {
	f := container.NewVBox()
	addFacts(f, items...)
	return f
}

// addFacts appends items to a list made by newFacts.
func addFacts(f *fyne.Container, items ...*widget.FormItem) {
	for _, it := range items {
		addFact(f, it.Text, it.Widget)
	}
}

// addFact appends the fact caption: value to a list made by newFacts.
func addFact(f *fyne.Container, caption string, value fyne.CanvasObject) {
	c := widget.NewLabel(caption)
	c.TextStyle = fyne.TextStyle{Bold: true}
	c.SizeName = theme.SizeNameCaptionText
	c.Wrapping = fyne.TextWrapWord
	f.Add(container.New(layout.NewCustomPaddedVBoxLayout(-2*theme.Padding()), c, value))
}

// sideBySide places its objects in equal columns when they fit, else one
// under another. A row is as high as its tallest object. Its height
// depends on its width, which MinSize is not told: as a wrapping label
// does, it uses the width it was last laid out at (stacked before that),
// and Fyne lays the parent out again when the height changes. Each
// container needs a sideBySide of its own.
type sideBySide struct {
	width float32
}

func (*sideBySide) fits(objects []fyne.CanvasObject, width float32) bool {
	need := float32(0)
	for _, o := range objects {
		need = max(need, o.MinSize().Width)
	}
	return need*float32(len(objects))+theme.Padding()*float32(len(objects)-1) <= width
}

func (l *sideBySide) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	l.width = size.Width
	pad := theme.Padding()
	if l.fits(objects, size.Width) {
		w := (size.Width - pad*float32(len(objects)-1)) / float32(len(objects))
		for _, o := range objects {
			o.Resize(fyne.NewSize(w, o.Size().Height)) // a wrapping button's height follows its width
		}
		h := l.rowHeight(objects)
		for i, o := range objects {
			o.Move(fyne.NewPos(float32(i)*(w+pad), 0))
			o.Resize(fyne.NewSize(w, h))
		}
		return
	}
	y := float32(0)
	for _, o := range objects {
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h + pad
	}
}

func (*sideBySide) rowHeight(objects []fyne.CanvasObject) float32 {
	h := float32(0)
	for _, o := range objects {
		h = max(h, o.MinSize().Height)
	}
	return h
}

// MinSize is one column's wide: the row wraps when narrower than all side
// by side. It is one row high when they fit at the last width, else as
// high as the objects stacked.
func (l *sideBySide) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for i, o := range objects {
		m := o.MinSize()
		s.Width = max(s.Width, m.Width)
		s.Height += m.Height
		if i > 0 {
			s.Height += theme.Padding()
		}
	}
	if l.width > 0 && l.fits(objects, l.width) {
		s.Height = l.rowHeight(objects)
	}
	return s
}

// titledCard is a card whose title and subtitle wrap (widget.Card's do
// not, and widen the window past a phone's width).
func titledCard(title, subtitle string, content fyne.CanvasObject) *widget.Card {
	box := container.NewVBox()
	if title != "" {
		t := wrapped(title)
		t.TextStyle = fyne.TextStyle{Bold: true}
		t.SizeName = theme.SizeNameSubHeadingText
		box.Add(t)
	}
	if subtitle != "" {
		box.Add(wrapped(subtitle))
	}
	box.Add(content)
	return widget.NewCard("", "", box)
}

// addDecision adds the decision on the application req serves to facts:
// the decision with its time once taken, else by when it is expected.
func addDecision(facts *fyne.Container, req *api.Request) {
	if at, ok := app.DecidedAt(req); ok && req.Decision != "" {
		addFact(facts, lang.L("request.decision"), wrapped(lang.L("request.decided_"+req.Decision, map[string]any{"Time": formatTime(at)})))
		return
	}
	if req.DecisionBy != nil {
		addFact(facts, lang.L("request.decision_by"), wrapped(formatTime(*req.DecisionBy)))
	}
}
