package protocoltest

import (
	"bytes"
	"sync"
)

// LockedBuffer collects what a host writes to a stream, its stdout or its
// log, while the test reads it: the host writes from its own goroutine (or
// the os/exec copier does), so a plain bytes.Buffer would race.
type LockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (l *LockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns everything written so far.
func (l *LockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
