package ui

import (
	"image"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestPhoneButtonsShowAPhone: "Continue on my phone", "Hand to the
// citizen's phone" and "Sign in a phone" showed Fyne's computer icon;
// they show a phone, and the phone icon draws (it is a valid SVG: a
// broken one renders as nothing).
func TestPhoneButtonsShowAPhone(t *testing.T) {
	test.NewTempApp(t)
	b := pairButton(test.NewTempWindow(t, widget.NewLabel("")), nil, "r1", "pair.button")
	if b.Icon != phoneIcon {
		t.Errorf("the continue-on-phone button shows %v", b.Icon.Name())
	}
	img := canvas.NewImageFromResource(phoneIcon)
	w := test.NewTempWindow(t, img)
	w.Resize(fyne.NewSize(48, 48))
	shot := w.Canvas().Capture()
	if inked(shot) < 20 {
		t.Errorf("the phone icon draws %d pixels", inked(shot))
	}
}

// inked counts the pixels of img that differ from its top-left one.
func inked(img image.Image) int {
	bg := img.At(0, 0)
	r0, g0, b0, _ := bg.RGBA()
	n := 0
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if r != r0 || g != g0 || b != b0 {
				n++
			}
		}
	}
	return n
}
