package demonode

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
)

// portsFile keeps the addresses of the last start in Dir.
const portsFile = "ports.json"

// listenAgain opens n loopback listeners, each on the address it had at
// the last start (read from dir/ports.json) if that is free, else on a
// port the system picks, and writes the addresses back. The demo member
// state then keeps its URLs across restarts, as a real one does: the
// PreviewLocations it handed out and the endpoints of queued messages
// still lead to it.
func listenAgain(ctx context.Context, dir string, n int) ([]net.Listener, error) {
	var last []string
	if b, err := os.ReadFile(filepath.Join(dir, portsFile)); err == nil {
		_ = json.Unmarshal(b, &last) // a damaged file only costs the old ports
	}
	var (
		lc    net.ListenConfig
		lns   []net.Listener
		addrs []string
	)
	for i := range n {
		var l net.Listener
		var err error
		if i < len(last) {
			if host, _, herr := net.SplitHostPort(last[i]); herr == nil && host == "127.0.0.1" {
				l, err = lc.Listen(ctx, "tcp", last[i])
			}
		}
		if l == nil || err != nil {
			if l, err = lc.Listen(ctx, "tcp", "127.0.0.1:0"); err != nil {
				for _, o := range lns {
					o.Close()
				}
				return nil, fmt.Errorf("demonode: listen: %w", err)
			}
		}
		lns = append(lns, l)
		addrs = append(addrs, l.Addr().String())
	}
	b, _ := json.Marshal(addrs)
	if err := os.MkdirAll(dir, 0o700); err == nil {
		_ = os.WriteFile(filepath.Join(dir, portsFile), b, 0o600) // best effort: without it the next start picks new ports
	}
	return lns, nil
}
