package pcsctest

import (
	"os"
	"syscall"
)

// flock takes an exclusive lock on f, waiting for it if wait is set. The
// kernel drops it when f is closed or the process dies.
func flock(f *os.File, wait bool) error {
	how := syscall.LOCK_EX
	if !wait {
		how |= syscall.LOCK_NB
	}
	return syscall.Flock(int(f.Fd()), how)
}
