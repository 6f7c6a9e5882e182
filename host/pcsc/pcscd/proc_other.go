//go:build !linux

package pcscd

import "syscall"

func sysProcAttr() *syscall.SysProcAttr { return nil }

// Running finds a live pcscd process; elsewhere than Linux the platform's
// PC/SC service is not pcscd, and none is reported.
func Running() (pid int, ok bool) { return 0, false }
