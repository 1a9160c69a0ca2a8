package launch

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// xvfb starts a virtual X display for the test and returns its name.
func xvfb(tb testing.TB) string {
	tb.Helper()
	if _, err := exec.LookPath("Xvfb"); err != nil {
		tb.Fatal("needs Xvfb (apt-get install xvfb; make test installs it)")
	}
	for n := 140; n < 200; n++ {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); err == nil {
			continue
		}
		display := fmt.Sprintf(":%d", n)
		cmd := exec.Command("Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp", "-noreset")
		if err := cmd.Start(); err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		for range 100 {
			if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); err == nil {
				return display
			}
			time.Sleep(20 * time.Millisecond)
		}
		tb.Fatalf("Xvfb %s did not start", display)
	}
	tb.Fatal("no free X display number")
	return ""
}

// build compiles the package pkg (cgo, with the tags the desktop app is
// built with: the Makefile's APP_TAGS) into dir and returns the program's
// path.
func build(tb testing.TB, dir, pkg string) string {
	tb.Helper()
	out := filepath.Join(dir, filepath.Base(pkg))
	cmd := exec.Command("go", "build", "-tags", "no_emoji", "-o", out, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	if msg, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build %s: %v\n%s", pkg, err, msg)
	}
	return out
}

// TestRunSeesTheWindowAndTheMemory: the hello-world's window is seen
// being mapped, and its memory read, after it started.
func TestRunSeesTheWindowAndTheMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a cgo program and starts an X display")
	}
	display := xvfb(t)
	hello := build(t, t.TempDir(), "./testdata/hello")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := Run(ctx, display, exec.Command(hello), 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if r.Mapped <= 0 || r.RSS < 1<<20 {
		t.Fatalf("result %+v: no launch time or less than 1 MiB resident", r)
	}
	// A program that never maps a window is reported, not waited for.
	ctx, cancel = context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	if _, err := Run(ctx, display, exec.Command("sleep", "5"), 0); err == nil {
		t.Fatal("a program without a window was measured")
	}
}

// BenchmarkAppLaunch starts the app (embedded exchange service and demo
// member state, an existing data folder) and a Fyne hello-world built the
// same way, one after the other, and reports the app's time to its first
// window and its resident memory 5 s later as ratios to hello-world's.
// Goals (issue 16 item 5): launch ≤ 1.3 × hello-world; RSS < 150 MiB or
// within 15 MiB of hello-world.
func BenchmarkAppLaunch(b *testing.B) {
	display := xvfb(b)
	dir := b.TempDir()
	hello := build(b, dir, "./testdata/hello")
	appBin := build(b, dir, "github.com/vienreiz/vienreiz")
	data, home := filepath.Join(dir, "data"), filepath.Join(dir, "home")
	app := func() *exec.Cmd {
		cmd := exec.Command(appBin, "-data-dir", data)
		cmd.Env = append(os.Environ(), "HOME="+home, "LANG=en_US.UTF-8", "VIENREIZ_APP_PIN=1234", "DBUS_SESSION_BUS_ADDRESS=disabled:")
		return cmd
	}
	run := func(cmd *exec.Cmd) Result {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		r, err := Run(ctx, display, cmd, 5*time.Second)
		if err != nil {
			b.Fatal(err)
		}
		return r
	}
	run(app()) // the first start makes the data folder; the others are ordinary starts
	var apps, hellos []Result
	for b.Loop() {
		hellos = append(hellos, run(exec.Command(hello)))
		apps = append(apps, run(app()))
	}
	median := func(rs []Result, f func(Result) float64) float64 {
		v := make([]float64, len(rs))
		for i, r := range rs {
			v[i] = f(r)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	ms := func(r Result) float64 { return float64(r.Mapped.Microseconds()) / 1000 }
	mib := func(r Result) float64 { return float64(r.RSS) / (1 << 20) }
	b.ReportMetric(median(apps, ms), "app-launch-ms")
	b.ReportMetric(median(hellos, ms), "hello-launch-ms")
	b.ReportMetric(median(apps, ms)/median(hellos, ms), "launch-ratio")
	b.ReportMetric(median(apps, mib), "app-RSS-MiB")
	b.ReportMetric(median(hellos, mib), "hello-RSS-MiB")
	b.ReportMetric(median(apps, mib)-median(hellos, mib), "RSS-over-hello-MiB")
}
