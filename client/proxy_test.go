package client_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/client"
)

// startNginx runs Debian's nginx in front of upstream (host:port) with its
// defaults, response buffering on, as a deployer who skipped the event
// stream's section of docs/reverse-proxy.md would, and returns its base
// URL. A missing nginx fails the test: `make test` installs it.
func startNginx(t *testing.T, upstream string) string {
	t.Helper()
	path, err := exec.LookPath("nginx")
	if err != nil {
		t.Fatal("nginx is not installed; `make test` installs it (Makefile TEST_PACKAGES)")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	dir := t.TempDir()
	conf := fmt.Sprintf(`daemon off;
master_process off;
error_log %[1]s/error.log;
pid %[1]s/nginx.pid;
events {}
http {
    access_log off;
    client_body_temp_path %[1]s/body;
    proxy_temp_path %[1]s/proxy;
    fastcgi_temp_path %[1]s/fastcgi;
    uwsgi_temp_path %[1]s/uwsgi;
    scgi_temp_path %[1]s/scgi;
    server {
        listen %[2]s;
        location / {
            proxy_pass http://%[3]s;
        }
    }
}
`, dir, addr, upstream)
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(path, "-p", dir, "-c", filepath.Join(dir, "nginx.conf"))
	out := &strings.Builder{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	base := "http://" + addr
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(base + "/v1/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base
			}
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Fatalf("nginx did not pass /v1/health within 10 s: %v\n%s\n%s", err, out, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestEventsPassABufferingProxy: behind nginx with its default response
// buffering, the citizen's event stream brings the first event of a new
// request within two seconds. Before, nginx held the stream's small
// events in its buffer: nothing came until the client gave the silent
// stream up (45 s) and connected again.
func TestEventsPassABufferingProxy(t *testing.T) {
	ctx := context.Background()
	srv := startServer(t)
	proxied := client.New(startNginx(t, strings.TrimPrefix(srv.URL(), "http://"))).WithToken(janis)
	events := make(chan api.Event, 16)
	streamCtx, stop := context.WithCancel(ctx)
	defer stop()
	go proxied.Events(streamCtx, func(e api.Event) { events <- e })
	time.Sleep(500 * time.Millisecond) // the stream is open through the proxy
	r := createBirthRequest(t, proxied)
	select {
	case e := <-events:
		if e.RequestID != r.ID {
			t.Fatalf("the event is of request %s, not %s", e.RequestID, r.ID)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("no event through the proxy within 2 s of the request")
	}
}
