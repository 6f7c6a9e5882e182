package pcscd

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// sysProcAttr has the kernel stop pcscd if the process that started it dies
// without stopping it (a panic, go test's -timeout, a killed demo).
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}

// Running finds a live pcscd process on the machine; zombies do not count.
func Running() (pid int, ok bool) {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, path := range stats {
		b, err := os.ReadFile(path)
		if err != nil {
			continue // gone since the glob
		}
		// pid (comm) state ...
		if !bytes.Contains(b, []byte(" (pcscd) ")) || bytes.Contains(b, []byte(" (pcscd) Z")) {
			continue
		}
		pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(path)))
		return pid, true
	}
	return 0, false
}
