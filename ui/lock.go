package ui

import (
	"sync"
	"time"

	"fyne.io/fyne/v2"
)

// RelockAfter is how long the app may be away (in the background, its
// window not focused) before it asks for the PIN again.
const RelockAfter = 5 * time.Minute

// Relock asks for the app PIN again when the app comes back after being
// away for longer than After: the screen is covered by the PIN question
// and comes back as it was once check accepts the PIN.
type Relock struct {
	Win   fyne.Window
	After time.Duration
	// Check tells whether pin is the app PIN (it opens the secrets file).
	Check func(pin string) bool
	// Background runs the slow check off the UI thread.
	Background func(func())
	Now        func() time.Time

	mu     sync.Mutex
	away   time.Time
	locked bool
}

// Away notes that the app went to the background.
func (l *Relock) Away() {
	l.mu.Lock()
	l.away = l.Now()
	l.mu.Unlock()
}

// Back locks the app when it was away too long; it reports whether it did.
func (l *Relock) Back() bool {
	l.mu.Lock()
	due := !l.away.IsZero() && !l.locked && l.Now().Sub(l.away) >= l.After
	l.away = time.Time{}
	if due {
		l.locked = true
	}
	l.mu.Unlock()
	if due {
		l.ask(l.Win.Content(), "")
	}
	return due
}

func (l *Relock) ask(screen fyne.CanvasObject, problem string) {
	ShowPINScreen(l.Win, false, problem, func(pin string) {
		Show(l.Win, Starting())
		l.Background(func() {
			ok := l.Check(pin)
			fyne.Do(func() {
				if !ok {
					l.ask(screen, "wrong_pin")
					return
				}
				l.mu.Lock()
				l.locked = false
				l.mu.Unlock()
				Show(l.Win, screen)
			})
		})
	})
}
