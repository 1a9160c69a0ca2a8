//go:build unix

package exchange

import (
	"net"
	"syscall"
)

// tryWrite writes what of frame fits into c's socket buffer now, on a plain
// TCP connection (not TLS, whose records the raw socket must not see), and
// reports how much it wrote and whether that was all of it.
func tryWrite(c net.Conn, frame []byte) (int, bool) {
	tcp, ok := c.(*net.TCPConn)
	if !ok {
		return 0, false
	}
	raw, err := tcp.SyscallConn()
	if err != nil {
		return 0, false
	}
	var (
		n        int
		writeErr error
	)
	err = raw.Write(func(fd uintptr) bool {
		n, writeErr = syscall.Write(int(fd), frame)
		return true // never wait here: writeFrame does, with a deadline
	})
	if err != nil || writeErr != nil || n < 0 {
		return 0, false // EAGAIN (no room) or a broken stream: writeFrame finds out
	}
	return n, n == len(frame)
}
