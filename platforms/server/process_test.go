package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// serverEnv makes the test binary run the server instead of the tests,
// so the reliability tests can start, kill and restart real processes.
const serverEnv = "VIENREIZ_TEST_RUN_SERVER"

func TestMain(m *testing.M) {
	if os.Getenv(serverEnv) == "1" {
		os.Exit(run(os.Args[1:], os.Stderr))
	}
	os.Exit(m.Run())
}

// Tokens of the demo citizen and clerk the server processes accept.
const (
	citizenToken = "citizen-token-for-the-process-tests"
	clerkToken   = "clerk-token-for-the-process-tests"
)

// serverProcess is one vienreiz-server process.
type serverProcess struct {
	t    *testing.T
	cmd  *exec.Cmd
	url  string
	mu   sync.Mutex
	logs bytes.Buffer
	done chan struct{}
}

// startServer starts the exchange service with args (after a free
// port, demo tokens and JSON logs, so args may override them) and waits
// until it listens.
func startServer(t *testing.T, args ...string) *serverProcess {
	t.Helper()
	args = append([]string{"-listen", "127.0.0.1:0", "-demo-tokens", "citizen=" + citizenToken + ",clerk=" + clerkToken}, args...)
	return startProcess(t, "exchange service listening", args...)
}

// startProcess starts vienreiz-server with args and JSON logs and waits
// for the log line ready.
func startProcess(t *testing.T, ready string, args ...string) *serverProcess {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-log-json"}, args...)...)
	cmd.Env = append(os.Environ(), serverEnv+"=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serverProcess{t: t, cmd: cmd, done: make(chan struct{})}
	listening := make(chan string, 1)
	go func() {
		defer close(p.done)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Bytes()
			p.mu.Lock()
			p.logs.Write(line)
			p.logs.WriteByte('\n')
			p.mu.Unlock()
			var rec struct{ Msg, URL string }
			if json.Unmarshal(line, &rec) == nil && rec.Msg == ready {
				listening <- rec.URL
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			_ = p.cmd.Process.Kill()
			_ = p.cmd.Wait()
		}
		if t.Failed() {
			t.Logf("log of server pid %d:\n%s", cmd.Process.Pid, p.log())
		}
	})
	select {
	case p.url = <-listening:
	case <-p.done:
		_ = cmd.Wait()
		t.Fatalf("the server exited before it listened:\n%s", p.log())
	case <-time.After(60 * time.Second):
		t.Fatalf("the server did not listen within 60 s:\n%s", p.log())
	}
	return p
}

func (p *serverProcess) log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.logs.String()
}

// logLine waits up to within for a JSON log line whose message is msg
// and returns it, or "" (the log is read by another goroutine, so a line
// the server wrote may not be in p.log() yet).
func (p *serverProcess) logLine(msg string, within time.Duration) string {
	for deadline := time.Now().Add(within); ; time.Sleep(50 * time.Millisecond) {
		for _, line := range strings.Split(p.log(), "\n") {
			var rec struct{ Msg string }
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == msg {
				return line
			}
		}
		if time.Now().After(deadline) {
			return ""
		}
	}
}

// kill ends the process with SIGKILL: no shutdown code runs.
func (p *serverProcess) kill() {
	p.t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		p.t.Fatal(err)
	}
	_ = p.cmd.Wait()
	<-p.done
}

// stop ends the process with SIGTERM and expects a clean exit.
func (p *serverProcess) stop() {
	p.t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		p.t.Fatal(err)
	}
	if err := p.cmd.Wait(); err != nil {
		p.t.Fatalf("server exit after SIGTERM: %v\n%s", err, p.log())
	}
	<-p.done
}
