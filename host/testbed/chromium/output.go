package chromium

import (
	"bytes"
	"sync"
)

// Output collects what Chromium writes to Options.Stderr (and so the native
// host's stderr too), from chromedp's goroutines; safe for concurrent use.
// Tests show it when something failed.
type Output struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (o *Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Write(p)
}

// String returns everything written so far.
func (o *Output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// Tail returns the last n bytes written, without the lines Chromium logs
// about the D-Bus a container lacks.
func (o *Output) Tail(n int) string {
	o.mu.Lock()
	defer o.mu.Unlock()
	var kept []byte
	for line := range bytes.Lines(o.buf.Bytes()) {
		if !bytes.Contains(line, []byte(":ERROR:dbus/")) {
			kept = append(kept, line...)
		}
	}
	if len(kept) > n {
		kept = kept[len(kept)-n:]
	}
	return string(kept)
}
