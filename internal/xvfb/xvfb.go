// Package xvfb starts a virtual X display for the tests and benchmarks
// that run the real app.
package xvfb

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Start starts Xvfb with a screen of size ("WIDTHxHEIGHT") on a display
// number it chooses itself (-displayfd: a display left behind by a killed
// server, its socket still there, is no obstacle) and returns the
// display's name (":N"). The server ends when tb does; asked to (SIGTERM),
// it removes its socket and lock file.
func Start(tb testing.TB, size string) string {
	tb.Helper()
	if _, err := exec.LookPath("Xvfb"); err != nil {
		tb.Fatal("needs Xvfb (apt-get install xvfb; make test installs it)")
	}
	r, w, err := os.Pipe()
	if err != nil {
		tb.Fatal(err)
	}
	defer r.Close()
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", size+"x24", "-nolisten", "tcp", "-noreset")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		w.Close()
		tb.Fatal(err)
	}
	w.Close()
	tb.Cleanup(func() { stop(cmd) })
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		tb.Fatalf("Xvfb did not start: %v", err)
	}
	return ":" + strings.TrimSpace(line)
}

// stop ends the server: SIGTERM, and SIGKILL after 5 s.
func stop(cmd *exec.Cmd) {
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		<-done
	}
}
