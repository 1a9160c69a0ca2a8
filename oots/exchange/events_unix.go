//go:build unix

package exchange

import "syscall"

// tryWrite writes what it can of data to s's socket with one write(2),
// without waiting for room in its buffer, and reports how much it wrote
// (0 on any error: the write that follows finds it again).
func (s *stream) tryWrite(data []byte) int {
	if s.socket == nil {
		return 0
	}
	n := 0
	_ = s.socket.Write(func(fd uintptr) bool {
		n, _ = syscall.Write(int(fd), data)
		return true // done, whether or not it all fit
	})
	return max(n, 0)
}
