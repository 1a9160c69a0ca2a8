package ui

import (
	"context"
	"sync"

	"fyne.io/fyne/v2"

	"github.com/vienreiz/vienreiz/app"
	"github.com/vienreiz/vienreiz/catalogue"
)

// listedServices gives a list's rows the catalogue services they name.
// A service not read yet is read in the background and the list redrawn
// when it comes; each is asked for once, so a failed read (offline) is
// not repeated at every drawing of a row.
type listedServices struct {
	sess   *app.Session
	cache  *app.ServiceCache
	redraw func() // redraws the list (UI goroutine)

	mu    sync.Mutex
	asked map[string]bool
}

func newListedServices(s *app.Session) *listedServices {
	return &listedServices{sess: s, cache: app.NewServiceCache(s.Catalogue.Service), asked: map[string]bool{}}
}

// of returns service id when it was read already, else nil (and reads it).
func (l *listedServices) of(id string) *catalogue.Service {
	svc, ok := l.cache.Known(id)
	l.mu.Lock()
	asked := l.asked[id]
	l.asked[id] = true
	l.mu.Unlock()
	if ok || asked {
		return svc
	}
	call(l.sess, func(ctx context.Context) {
		if l.cache.Get(ctx, id) != nil && l.redraw != nil {
			fyne.Do(l.redraw)
		}
	})
	return nil
}
