// Package scripts holds the tests of the shell scripts beside it.
package scripts

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root, as CI has, to hold the dpkg lock and to run the postgres tools")
	}
}

// TestEnsurePackagesWaitsForTheDpkgLock (defect 8): while another apt or
// dpkg holds the lock, ensure-packages.sh waits for it instead of failing
// at once.
func TestEnsurePackagesWaitsForTheDpkgLock(t *testing.T) {
	needRoot(t)
	const pkg = "hello" // tiny, and needed by nothing
	_ = exec.Command("apt-get", "-o", "DPkg::Lock::Timeout=600", "remove", "-y", "-qq", pkg).Run()
	t.Cleanup(func() { _ = exec.Command("apt-get", "-o", "DPkg::Lock::Timeout=600", "remove", "-y", "-qq", pkg).Run() })

	lock, err := os.OpenFile("/var/lib/dpkg/lock-frontend", os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	fd := lock.Fd() // read once: the releasing goroutine must not race Close
	hold := syscall.Flock_t{Type: syscall.F_WRLCK}
	if err := syscall.FcntlFlock(fd, syscall.F_SETLKW, &hold); err != nil {
		t.Fatal(err)
	}
	released := make(chan struct{})
	time.AfterFunc(3*time.Second, func() {
		defer close(released)
		_ = syscall.FcntlFlock(fd, syscall.F_SETLK, &syscall.Flock_t{Type: syscall.F_UNLCK})
	})
	defer func() { <-released }() // before lock.Close

	out, err := exec.Command("./ensure-packages.sh", pkg).CombinedOutput()
	if err != nil {
		t.Fatalf("ensure-packages.sh with the dpkg lock held for 3 s: %v\n%s", err, out)
	}
	if status, _ := exec.Command("dpkg-query", "-W", "-f=${Status}", pkg).Output(); !strings.Contains(string(status), "install ok installed") {
		t.Fatalf("%s is not installed after the lock was released: %s\n%s", pkg, status, out)
	}
}

// TestPostgresScriptIsQuietAndStopsWhatItStarted (defect 8): run from a
// folder the postgres user cannot enter (a checkout under /root), the
// script printed "Permission denied"; and the cluster it started kept
// running after the tests. `postgres.sh stop` stops a cluster the script
// started and leaves alone one that was already running.
func TestPostgresScriptIsQuietAndStopsWhatItStarted(t *testing.T) {
	needRoot(t)
	script, err := filepath.Abs("postgres.sh")
	if err != nil {
		t.Fatal(err)
	}
	wasOnline := clusterOnline(t)
	state := t.TempDir()
	run := func(args ...string) string {
		cmd := exec.Command(script, args...)
		cmd.Dir = t.TempDir() // mode 0700: the postgres user cannot enter it
		cmd.Env = append(os.Environ(), "TMPDIR="+state, "VIENREIZ_TEST_DB=vienreiz_script_test")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("postgres.sh %v: %v\n%s", args, err, stderr.String())
		}
		if strings.Contains(stderr.String(), "Permission denied") {
			t.Errorf("postgres.sh %v printed:\n%s", args, stderr.String())
		}
		return string(out)
	}
	if url := run(); !strings.Contains(url, "/vienreiz_script_test?") {
		t.Fatalf("postgres.sh printed %q", url)
	}
	run("stop")
	if online := clusterOnline(t); online != wasOnline {
		t.Fatalf("cluster online after stop = %v; it was %v before the script ran", online, wasOnline)
	}
}

func clusterOnline(t *testing.T) bool {
	t.Helper()
	out, err := exec.Command("pg_lsclusters", "-h").Output()
	if err != nil {
		t.Fatalf("pg_lsclusters: %v", err)
	}
	return strings.Contains(string(out), "online")
}
