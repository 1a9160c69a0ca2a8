// Package testproc starts the running test binary again as a child
// process that runs one test function, for tests and benchmarks that
// need a second process (a server to kill, a peer to measure apart).
package testproc

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"testing"
	"time"
)

// Proc is a started child: the test talks to it over its standard input
// and output; its standard error goes to the test's.
type Proc struct {
	Cmd    *exec.Cmd
	Stdin  io.WriteCloser
	Stdout io.ReadCloser
}

// Start runs the test function named test (its whole name: the child's
// -test.run is ^test$) in a new process of this test binary, with env
// added to this process's environment and the child's own -test.timeout
// (0: none). The child is killed when tb ends, if it still runs.
func Start(tb testing.TB, test string, timeout time.Duration, env ...string) *Proc {
	tb.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", fmt.Sprintf("-test.timeout=%s", timeout))
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = cmd.Process.Kill() })
	return &Proc{Cmd: cmd, Stdin: stdin, Stdout: stdout}
}
