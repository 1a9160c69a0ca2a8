package ui

import (
	"fmt"
	"reflect"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// widest lists the deepest objects under root wider than limit, with
// their children's widths: what a failing phone-width test logs to say
// which widget forces the window wider.
func widest(root fyne.CanvasObject, limit float32) []string {
	var out []string
	var walk func(o fyne.CanvasObject, path string) bool
	walk = func(o fyne.CanvasObject, path string) bool {
		if !o.Visible() || o.MinSize().Width <= limit {
			return false
		}
		name := reflect.TypeOf(o).String()
		if l, ok := o.(*widget.Label); ok {
			name += fmt.Sprintf("(%q)", l.Text)
		}
		if b, ok := o.(*widget.Button); ok {
			name += fmt.Sprintf("(%q)", b.Text)
		}
		var kids []fyne.CanvasObject
		switch v := o.(type) {
		case *fyne.Container:
			kids = v.Objects
		case fyne.Widget:
			kids = test.WidgetRenderer(v).Objects()
		}
		found := false
		for _, k := range kids {
			if walk(k, path+"/"+name) {
				found = true
			}
		}
		if !found {
			var ks []string
			for _, k := range kids {
				txt := ""
				if b, ok := k.(*widget.Button); ok {
					txt = b.Text
				}
				ks = append(ks, fmt.Sprintf("%T%s:%.1f", k, txt, k.MinSize().Width))
			}
			out = append(out, fmt.Sprintf("%.1f %s %v", o.MinSize().Width, path+"/"+name, ks))
		}
		return true
	}
	walk(root, "")
	return out
}
