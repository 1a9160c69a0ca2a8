package main

import "fyne.io/fyne/v2"

// takeOverStopHook removes the app's stopped hooks from Fyne's lifecycle
// and returns them, for the app to run once the window's loop has ended.
//
// Fyne 2.7.1's desktop loop, as it ends, queues its stopped hook (which
// saves the preferences) to be run on the loop, and then closes the
// loop's queue: when the hook's turn comes just before the close, it is
// sent on a closing channel. The race detector saw that in CI (exit 66),
// and the loop then never returns (the app waited out its grace time).
// With no hook there is nothing to queue. On phones the hook is queued
// by the app's stages, not by the loop's end, and is left alone.
func takeOverStopHook(a fyne.App) (stopped func()) {
	if a.Driver().Device().IsMobile() {
		return func() {}
	}
	return takeOverStopHooks(a.Lifecycle())
}

// stopHooks is the part of Fyne's lifecycle (an internal type) that holds
// its own stopped hook besides the app's.
type stopHooks interface {
	OnStopped() func()
	SetOnStoppedHookExecuted(func())
}

// takeOverStopHooks empties lc's stopped hooks and returns what they did.
func takeOverStopHooks(lc fyne.Lifecycle) (stopped func()) {
	hooks, ok := lc.(stopHooks)
	if !ok {
		return func() {}
	}
	stopped = hooks.OnStopped() // Fyne's and the app's together
	hooks.SetOnStoppedHookExecuted(nil)
	lc.SetOnStopped(nil)
	if stopped == nil {
		return func() {}
	}
	return stopped
}
