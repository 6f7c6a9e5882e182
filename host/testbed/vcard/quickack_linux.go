package vcard

import (
	"net"

	"golang.org/x/sys/unix"
)

// setQuickAck asks Linux to ACK the next segment at once. The flag does not
// stick (the kernel drops back to delayed ACKs), hence a call before each
// read. Failure only costs latency, so it is ignored.
func setQuickAck(c *net.TCPConn) {
	raw, err := c.SyscallConn()
	if err != nil {
		return
	}
	_ = raw.Control(func(fd uintptr) {
		_ = unix.SetsockoptInt(int(fd), unix.IPPROTO_TCP, unix.TCP_QUICKACK, 1)
	})
}
