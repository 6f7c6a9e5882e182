package alto

import "syscall"

// procAttr has Linux kill Alto should the process that started it die without closing it (a test binary
// that panics): no bundler is left holding its port.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
