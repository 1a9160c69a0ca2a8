package app

import "sync"

// rerun runs a task once at a time: asked while it runs, it runs once
// more when that run ends, however often it was asked meanwhile. For
// reads that a burst of events each ask for: the last one reads what all
// of them changed.
type rerun struct {
	mu      sync.Mutex
	running bool
	again   bool
}

// ask runs task through start (a goroutine of the session) unless it
// runs already.
func (r *rerun) ask(start func(func()), task func()) {
	r.mu.Lock()
	busy := r.running
	r.again = r.again || busy
	r.running = true
	r.mu.Unlock()
	if busy {
		return
	}
	start(func() { // which may run it before returning
		for {
			task()
			r.mu.Lock()
			again := r.again
			r.again, r.running = false, again
			r.mu.Unlock()
			if !again {
				return
			}
		}
	})
}
