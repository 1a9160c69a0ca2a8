package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// TestSearchBoxFitsAPhone (issue 15): at 360 px the catalogue's search box
// showed a placeholder wider than the box ("Meklēt pakalpojumus, piem.,
// pensija, transportlīdzeklis, augstskola" is 439 px), cut at the box's
// right edge with a scroll bar under it. The box keeps the page's margins,
// its placeholder fits inside it in lv and en at 100 % and 200 % text, and
// the examples are still given, in a hint that wraps.
func TestSearchBoxFitsAPhone(t *testing.T) {
	for _, language := range []string{"lv", "en"} {
		for _, percent := range []int{100, 200} {
			t.Run(fmt.Sprintf("%s-%d", language, percent), func(t *testing.T) {
				w, _ := newApp(t, language)
				if percent != 100 {
					test.Tap(navButtons(t, w)[TabProfile])
					chooseTextSize(t, w, percent)
					test.Tap(navButtons(t, w)[TabServices])
				}
				w.Resize(fyne.NewSize(360, 740))
				sc := servicesScreen(t, w)
				d := fyne.CurrentApp().Driver()
				box := d.AbsolutePositionForObject(sc.Search)
				right := box.X + sc.Search.Size().Width

				// The box lines up with the filters under it, inside the
				// window's margin.
				first := d.AbsolutePositionForObject(sc.Category)
				last := d.AbsolutePositionForObject(sc.Country).X + sc.Country.Size().Width
				if box.X < first.X || right > last {
					t.Errorf("the search box spans %.0f–%.0f px, outside the page's margins %.0f–%.0f px", box.X, right, first.X, last)
				}
				if edge := w.Canvas().Size().Width - theme.Padding(); right > edge {
					t.Errorf("the search box ends at %.0f px, past the margin at %.0f px", right, edge)
				}

				// The placeholder, as drawn, ends inside the box's padding.
				var shown *canvas.Text
				for _, tx := range find[*canvas.Text](sc.Search) {
					if tx.Text == sc.Search.PlaceHolder {
						shown = tx
					}
				}
				if shown == nil {
					t.Fatalf("the placeholder %q is not drawn", sc.Search.PlaceHolder)
				}
				end := d.AbsolutePositionForObject(shown).X + fyne.MeasureText(shown.Text, shown.TextSize, shown.TextStyle).Width
				if inside := right - theme.InputBorderSize() - theme.InnerPadding(); end > inside {
					t.Errorf("the placeholder %q ends at %.0f px, past the box's inside edge at %.0f px", shown.Text, end, inside)
				}

				// The examples stay, in a hint that wraps under the box.
				var hint *widget.Label
				for _, l := range find[*widget.Label](w.Content()) {
					if l.Text == lang.L("services.search_hint") {
						hint = l
					}
				}
				switch {
				case hint == nil || !strings.Contains(hint.Text, map[string]string{"lv": "pensija", "en": "pension"}[language]):
					t.Errorf("no hint with examples under the search box")
				case hint.Wrapping != fyne.TextWrapWord:
					t.Errorf("the hint %q does not wrap", hint.Text)
				case d.AbsolutePositionForObject(hint).Y < box.Y+sc.Search.Size().Height:
					t.Errorf("the hint is not under the search box")
				}
				if mw := w.Content().MinSize().Width; mw > 360 {
					t.Errorf("the services screen needs %.0f px", mw)
				}
			})
		}
	}
}

// TestSideBySideRowsAreOneLineHigh: two controls side by side (the
// handoff buttons and the catalogue's filters at 360 px in Latvian) were
// as tall as the two stacked — 76 px buttons for one line of text —
// because the row's layout could not know its width when asked for its
// height. A row side by side is now as high as its tallest control.
func TestSideBySideRowsAreOneLineHigh(t *testing.T) {
	w, _ := newApp(t, "lv")
	w.Resize(fyne.NewSize(360, 740))
	w.Resize(fyne.NewSize(359, 740)) // laid out again, as a real window does at its next frame
	sc := servicesScreen(t, w)
	d := fyne.CurrentApp().Driver()
	rows := [][2]fyne.CanvasObject{{sc.Category, sc.Country}}
	var handoff []fyne.CanvasObject
	for _, b := range find[*widget.Button](w.Content()) {
		if b.Text == lang.L("handoff.enter_code") || b.Text == lang.L("handoff.open_picture") {
			handoff = append(handoff, b)
		}
	}
	if len(handoff) != 2 {
		t.Fatalf("found %d handoff buttons", len(handoff))
	}
	rows = append(rows, [2]fyne.CanvasObject{handoff[0], handoff[1]})
	for _, r := range rows {
		a, b := r[0], r[1]
		if d.AbsolutePositionForObject(a).Y != d.AbsolutePositionForObject(b).Y {
			t.Errorf("%T and %T are not side by side at 360 px", a, b)
			continue
		}
		for _, o := range r {
			if h, one := o.Size().Height, o.MinSize().Height; h > one+0.5 {
				t.Errorf("%T is %.0f px high side by side, one line is %.0f px", o, h, one)
			}
		}
	}
}

// TestWrappingButtonsLookLikeButtons: a wrapping button beside a Fyne
// button (Copy link and Continue on the phone on a request page) had
// regular text beside bold; its text is bold as a button's is, and its
// one-line width is measured in that style.
func TestWrappingButtonsLookLikeButtons(t *testing.T) {
	test.NewTempApp(t)
	plain := widget.NewButton("Kopēt saiti", nil)
	wrap := newWrapButton("Kopēt saiti", nil, nil)
	var want fyne.TextStyle
	for _, tx := range find[*canvas.Text](plain) {
		want = tx.TextStyle
	}
	for _, tx := range find[*canvas.Text](wrap) {
		if tx.TextStyle != want {
			t.Errorf("a wrapping button's text is %+v, a button's %+v", tx.TextStyle, want)
		}
	}
	if got, one := wrap.naturalWidth(), plain.MinSize().Width; got < one {
		t.Errorf("a wrapping button's one-line width is %.0f px, the same button's %.0f px", got, one)
	}
}
