package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// pages is a screen's stack of pages under a title bar with a back
// button: the screen's root page (a list) and the pages opened from it.
//
// It replaces Fyne's container.Navigation, which sets its stack up again
// whenever its renderer is created. Fyne throws away the renderers of
// widgets that were not drawn for a minute, so a screen left on a detail
// page came back as its hidden root page alone: a blank screen with its
// title. Here the stack lives in the widget; a renderer only draws it.
type pages struct {
	widget.BaseWidget
	stack []page // stack[0] is the root page
}

type page struct {
	content fyne.CanvasObject
	title   string
}

func newPages(root fyne.CanvasObject, title string) *pages {
	p := &pages{stack: []page{{root, title}}}
	p.ExtendBaseWidget(p)
	return p
}

// Push opens content on top of the current page.
func (p *pages) Push(content fyne.CanvasObject, title string) {
	p.stack = append(p.stack, page{content, title})
	p.Refresh()
}

// Open shows content as the only page above the root: a page opened from
// elsewhere (a link, the inbox) does not pile up behind the next one.
func (p *pages) Open(content fyne.CanvasObject, title string) {
	p.stack = append(p.stack[:1], page{content, title})
	p.Refresh()
}

// Replace swaps the top page for content (a page redrawn with new data);
// it pushes when only the root is shown.
func (p *pages) Replace(content fyne.CanvasObject, title string) {
	if len(p.stack) > 1 {
		p.stack = p.stack[:len(p.stack)-1]
	}
	p.Push(content, title)
}

// Back closes the top page; the root page stays.
func (p *pages) Back() {
	if len(p.stack) > 1 {
		p.stack = p.stack[:len(p.stack)-1]
		p.Refresh()
	}
}

// Home closes every page above the root.
func (p *pages) Home() {
	if len(p.stack) > 1 {
		p.stack = p.stack[:1]
		p.Refresh()
	}
}

// SetRootTitle names the root page anew.
func (p *pages) SetRootTitle(title string) {
	if p.stack[0].title != title {
		p.stack[0].title = title
		p.Refresh()
	}
}

// Depth is the number of pages above the root.
func (p *pages) Depth() int { return len(p.stack) - 1 }

// Top is the page shown.
func (p *pages) Top() fyne.CanvasObject { return p.stack[len(p.stack)-1].content }

// Title is the title shown.
func (p *pages) Title() string { return p.stack[len(p.stack)-1].title }

func (p *pages) CreateRenderer() fyne.WidgetRenderer {
	r := &pagesRenderer{p: p, title: widget.NewLabel(""), body: container.NewStack()}
	r.title.TextStyle = fyne.TextStyle{Bold: true}
	r.title.Truncation = fyne.TextTruncateEllipsis
	r.back = widget.NewButtonWithIcon("", theme.NavigateBackIcon(), p.Back)
	r.back.Importance = widget.LowImportance
	r.bar = newBorder(nil, nil, r.back, nil, r.title)
	r.all = newBorder(r.bar, nil, nil, nil, r.body)
	r.Refresh()
	return r
}

type pagesRenderer struct {
	p     *pages
	title *widget.Label
	back  *widget.Button
	bar   *fyne.Container
	body  *fyne.Container
	all   *fyne.Container
}

func (r *pagesRenderer) Refresh() {
	top := r.p.stack[len(r.p.stack)-1]
	if len(r.p.stack) > 1 {
		r.back.Show()
	} else {
		r.back.Hide()
	}
	r.title.SetText(top.title)
	top.content.Show()
	r.body.Objects = []fyne.CanvasObject{top.content}
	r.body.Refresh()
	r.all.Refresh()
}

func (r *pagesRenderer) Layout(size fyne.Size)        { r.all.Resize(size) }
func (r *pagesRenderer) MinSize() fyne.Size           { return r.all.MinSize() }
func (r *pagesRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.all} }
func (r *pagesRenderer) Destroy()                     {}
