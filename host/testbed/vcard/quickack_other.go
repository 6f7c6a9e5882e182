//go:build !linux

package vcard

import "net"

// setQuickAck is Linux-only; elsewhere delayed ACKs are left alone.
func setQuickAck(*net.TCPConn) {}
