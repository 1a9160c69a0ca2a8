package ui

import (
	"fmt"
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/vienreiz/vienreiz/app"
)

// walkPhoneScreens opens the screens of the app in a 360x740 window — the
// five destinations, a service page, the country choice of its Apply, a
// request page, a finished one with its feedback form, a document in the wallet, the help centre — and fails the
// test when one needs more than 360 px or a dialog more than the window.
func walkPhoneScreens(t *testing.T, w fyne.Window, s *app.Session, how string) {
	t.Helper()
	w.Resize(fyne.NewSize(360, 740))
	check := func(what string) {
		t.Helper()
		if mw := w.Content().MinSize().Width; mw > 360 {
			t.Errorf("%s: %s needs %.0f px, more than a 360 px phone", how, what, mw)
			for _, l := range widest(w.Content(), 360) {
				t.Log(l[max(0, len(l)-420):])
			}
		}
		for _, o := range w.Canvas().Overlays().List() {
			if mw := o.MinSize().Width; mw > 360 {
				t.Errorf("%s: the dialog over %s needs %.0f px, more than a 360 px phone", how, what, mw)
				for _, l := range widest(o, 360) {
					t.Log(l[max(0, len(l)-420):])
				}
			}
		}
	}
	closeOverlays := func() {
		for w.Canvas().Overlays().Top() != nil {
			w.Canvas().Overlays().Remove(w.Canvas().Overlays().Top())
		}
	}
	done := deliverRequest(t, s)
	for i := range 5 {
		test.Tap(navButtons(t, w)[i])
		check(navButtons(t, w)[i].label)
	}
	test.Tap(navButtons(t, w)[TabServices])
	servicesScreen(t, w).OpenService("lv-register-business")
	check("a service page")
	tapButton(t, w, lang.L("detail.apply"))
	if w.Canvas().Overlays().Top() == nil {
		t.Fatalf("%s: Apply opened no country choice", how)
	}
	check("the country choice")
	closeOverlays()
	req := startRequest(t, s, "lv-birth-certificate", "LV")
	test.Tap(navButtons(t, w)[TabRequests])
	find[*RequestsScreen](w.Content())[0].Open(req.ID)
	check("a request page")
	find[*RequestsScreen](w.Content())[0].Open(done.ID)
	check("a finished request's page with its feedback form")
	test.Tap(navButtons(t, w)[TabWallet])
	items, _ := s.Wallet.Items.Get()
	if len(items) == 0 {
		t.Fatalf("%s: the wallet is empty", how)
	}
	find[*WalletScreen](w.Content())[0].Open(items[0].(app.WalletItem))
	check("a document")
	showHelpIndex(w)
	check("the help centre")
	closeOverlays()
}

// TestEveryScreenFitsAPhoneAt200Percent (issue 15): with the text at 200 %
// and high contrast, chosen in Profile, every screen stays usable on a
// 360 px phone: nothing forces the window wider.
func TestEveryScreenFitsAPhoneAt200Percent(t *testing.T) {
	w, s := newApp(t, "lv")
	normal := fyne.CurrentApp().Settings().Theme().Size(theme.SizeNameText)
	test.Tap(navButtons(t, w)[TabProfile])
	chooseTextSize(t, w, 200)
	setContrast(t, w, true)
	if got := fyne.CurrentApp().Settings().Theme().Size(theme.SizeNameText); got != 2*normal {
		t.Fatalf("text size %.1f at 200 %%, want %.1f", got, 2*normal)
	}
	walkPhoneScreens(t, w, s, "200 % and high contrast")
	// The bar's captions fit their destinations instead of running into
	// each other.
	for _, b := range navButtons(t, w) {
		if tw := test.WidgetRenderer(b).(*navButtonRenderer).text.MinSize().Width; tw > b.Size().Width {
			t.Errorf("the caption %q is %.0f px wide on a %.0f px destination", b.label, tw, b.Size().Width)
		}
	}
}

// chooseTextSize picks percent in the Profile's text size choice.
func chooseTextSize(t *testing.T, w fyne.Window, percent int) {
	t.Helper()
	want := fmt.Sprintf("%d %%", percent)
	for _, sel := range find[*widget.Select](w.Content()) {
		for _, o := range sel.Options {
			if o == want {
				sel.SetSelected(o)
				return
			}
		}
	}
	t.Fatalf("no text size choice offers %q", want)
}

// setContrast ticks or clears the Profile's high contrast box.
func setContrast(t *testing.T, w fyne.Window, on bool) {
	t.Helper()
	for _, c := range find[*widget.Check](w.Content()) {
		if c.Text == lang.L("profile.high_contrast_on") {
			c.SetChecked(on)
			return
		}
	}
	t.Fatal("no high contrast box in Profile")
}

// TestDisplaySettingsApplyFromTheStart (issue 15): the text size and high
// contrast remembered from the last run apply when the app is built, and
// high contrast gives text at least 7:1 against its background (WCAG AAA)
// in the light and dark variants, for plain text, actions and hints.
func TestDisplaySettingsApplyFromTheStart(t *testing.T) {
	w, s := newApp(t, "en")
	th := fyne.CurrentApp().Settings().Theme()
	normal := th.Size(theme.SizeNameText)
	plainFg := th.Color(theme.ColorNameForeground, theme.VariantLight)

	s.Display = app.NewDisplay(memPrefs{"text_size": "175", "high_contrast": "true"}) // as remembered
	Build(w, s)
	th = fyne.CurrentApp().Settings().Theme()
	if got := th.Size(theme.SizeNameText); got != 1.75*normal {
		t.Fatalf("text size %.1f after a start at 175 %%, want %.1f", got, 1.75*normal)
	}
	if got := th.Size(theme.SizeNamePadding); got != fyne.CurrentApp().Settings().Theme().(appTheme).base.Size(theme.SizeNamePadding) {
		t.Errorf("padding scaled to %.1f: only text grows", got)
	}
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		for _, pair := range []struct {
			what   string
			fg, bg fyne.ThemeColorName
		}{
			{"text", theme.ColorNameForeground, theme.ColorNameBackground},
			{"a hint", theme.ColorNamePlaceHolder, theme.ColorNameInputBackground},
			{"a disabled action", theme.ColorNameDisabled, theme.ColorNameBackground},
			{"a primary button's text", theme.ColorNameForegroundOnPrimary, theme.ColorNamePrimary},
			{"a link", theme.ColorNameHyperlink, theme.ColorNameBackground},
			{"text on a button", theme.ColorNameForeground, theme.ColorNameButton},
		} {
			if r := contrastRatio(th.Color(pair.fg, v), th.Color(pair.bg, v)); r < 7 {
				t.Errorf("variant %d: %s has contrast %.1f:1, want at least 7:1", v, pair.what, r)
			}
		}
	}
	if th.Color(theme.ColorNameForeground, theme.VariantLight) == plainFg {
		t.Error("high contrast left the text colour as it was")
	}

	s.Display.SetHighContrast(false)
	if got := fyne.CurrentApp().Settings().Theme().Color(theme.ColorNameForeground, theme.VariantLight); got != plainFg {
		t.Errorf("turning high contrast off left %v", got)
	}
}

// contrastRatio is the WCAG contrast ratio of two colours.
func contrastRatio(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}
