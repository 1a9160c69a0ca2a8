//go:build !unix

package exchange

import "net"

// tryWrite writes nothing where raw socket writes are not available:
// writeFrame then writes with a deadline.
func tryWrite(net.Conn, []byte) (int, bool) { return 0, false }
