package device

import (
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"time"
)

// openWait is how long Opener waits for xdg-open to say it failed.
const openWait = 5 * time.Second

// Opener returns how the app shows a file or page with the system's app
// (a PDF in the PDF reader). On a Linux desktop it runs xdg-open and
// waits up to 5 s for its verdict: xdg-open ends with an error status
// when no app handles the file's type (Fyne's own opener starts it and
// never looks, so nothing happened and the person was not told), and it
// is reaped when it ends. Still running after that, the viewer it started
// has the file (without a desktop's launcher, the viewer runs under it).
// Elsewhere, or inside Flatpak, Opener returns fallback (Fyne's).
// Call the opener off the UI thread: it may take those 5 s.
func Opener(fallback func(*url.URL) error) func(*url.URL) error {
	xdg, err := exec.LookPath("xdg-open")
	// GOOS is "android" on Android: its opener is Fyne's.
	if runtime.GOOS != "linux" || err != nil || os.Getenv("FLATPAK_ID") != "" {
		return fallback
	}
	return func(u *url.URL) error { return runOpener(xdg, u.String(), openWait) }
}

// runOpener runs prog arg and returns its failure if it ends with one
// within wait, naming the last line it wrote to its standard error.
func runOpener(prog, arg string, wait time.Duration) error {
	stderr := &lastLines{max: 1024}
	cmd := exec.Command(prog, arg)
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			if last := stderr.last(); last != "" {
				return fmt.Errorf("%s: %w: %s", prog, err, last)
			}
			return fmt.Errorf("%s: %w", prog, err)
		}
		return nil
	case <-time.After(wait):
		return nil
	}
}

// lastLines keeps the last max bytes written to it.
type lastLines struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (l *lastLines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, p...)
	if over := len(l.buf) - l.max; over > 0 {
		l.buf = l.buf[over:]
	}
	return len(p), nil
}

// last is the last line written that is not empty.
func (l *lastLines) last() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	lines := strings.Split(strings.TrimSpace(string(l.buf)), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
