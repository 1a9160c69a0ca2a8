// Command hello is the Fyne hello-world that BenchmarkAppLaunch measures
// the app against: one window with one label, built the same way.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("eu.vienreiz.hello")
	w := a.NewWindow("Vienreiz")
	w.SetContent(widget.NewLabel("Hello"))
	w.Resize(fyne.NewSize(1024, 720))
	w.ShowAndRun()
}
