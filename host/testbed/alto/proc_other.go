//go:build !linux

package alto

import "syscall"

// procAttr is nothing special elsewhere: Close stops Alto.
func procAttr() *syscall.SysProcAttr { return nil }
