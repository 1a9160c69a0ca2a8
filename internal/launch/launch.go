// Package launch measures how fast a desktop program shows its first
// window and how much memory it holds once started, under an X display:
// the app's start-up goals (issue 16 item 5) are ratios to a Fyne
// hello-world measured the same way in the same run.
package launch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

func init() {
	// xgb reports on its own logger that there is no ~/.Xauthority, as
	// with every Xvfb started without one.
	xgb.Logger = log.New(io.Discard, "", 0)
}

// Result is one launch of a program.
type Result struct {
	// Mapped is the time from starting the process to its first
	// top-level window being mapped on the display.
	Mapped time.Duration
	// RSS is the process's resident memory Settle after the window was
	// mapped, in bytes.
	RSS int64
	// SettleCPU is the processor time the process used in the settle
	// time after its window was mapped: an app that has started and is
	// left alone should use next to none.
	SettleCPU time.Duration
}

// Run starts cmd on display (e.g. ":91"), waits until a top-level window
// is mapped, waits settle more, reads the process's resident memory and
// kills it.
func Run(ctx context.Context, display string, cmd *exec.Cmd, settle time.Duration) (Result, error) {
	x, err := xgb.NewConnDisplay(display)
	if err != nil {
		return Result{}, fmt.Errorf("display %s: %w", display, err)
	}
	defer x.Close()
	root := xproto.Setup(x).DefaultScreen(x).Root
	if err := xproto.ChangeWindowAttributesChecked(x, root, xproto.CwEventMask,
		[]uint32{xproto.EventMaskSubstructureNotify}).Check(); err != nil {
		return Result{}, fmt.Errorf("watching the display's windows: %w", err)
	}
	cmd.Env = append(cmd.Environ(), "DISPLAY="+display)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return Result{}, err
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()
	mapped := make(chan error, 1)
	go func() {
		for {
			ev, err := x.WaitForEvent()
			if ev == nil && err == nil {
				mapped <- errors.New("the display connection closed")
				return
			}
			if _, ok := ev.(xproto.MapNotifyEvent); ok {
				mapped <- nil
				return
			}
		}
	}()
	var r Result
	select {
	case err := <-mapped:
		if err != nil {
			return r, err
		}
		r.Mapped = time.Since(start)
	case <-ctx.Done():
		return r, fmt.Errorf("no window mapped: %w", ctx.Err())
	}
	before, err := CPUTime(cmd.Process.Pid)
	if err != nil {
		return r, err
	}
	select {
	case <-time.After(settle):
	case <-ctx.Done():
		return r, ctx.Err()
	}
	after, err := CPUTime(cmd.Process.Pid)
	if err != nil {
		return r, err
	}
	r.SettleCPU = after - before
	r.RSS, err = rss(cmd.Process.Pid)
	return r, err
}

// ticksPerSecond is the unit of /proc's processor times (USER_HZ), 100 on
// every Linux.
const ticksPerSecond = 100

// CPUTime is the processor time (user and system) process pid has used so
// far, from /proc.
func CPUTime(pid int) (time.Duration, error) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The fields after the command's name, which is in parentheses and
	// may hold spaces: state is the first, utime the 12th, stime the 13th.
	end := strings.LastIndexByte(string(stat), ')')
	if end < 0 {
		return 0, fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	f := strings.Fields(string(stat[end+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	var ticks int64
	for _, field := range f[11:13] {
		n, err := strconv.ParseInt(field, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/%d/stat: %w", pid, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / ticksPerSecond, nil
}

// rss reads the resident set size of process pid from /proc.
func rss(pid int) (int64, error) {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kib, err := strconv.ParseInt(f[1], 10, 64)
			return kib << 10, err
		}
	}
	return 0, errors.New("no VmRSS in /proc status")
}
