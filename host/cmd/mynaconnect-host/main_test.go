package main

import (
	"io"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/protocol/protocoltest"
	"github.com/mynaconnect/mynaconnect/host/testbed/buildtest"
)

// hostBin is the host binary under test, built once by TestMain: the tests
// run it as a browser does, as a subprocess speaking framed JSON.
var hostBin string

func TestMain(m *testing.M) {
	os.Exit(buildtest.Run(m, buildtest.Cmd{Package: buildtest.Host, Binary: &hostBin}))
}

// message is a response or an event as the extension decodes it.
type message = protocoltest.Message

// hostProc is a running host, driven like the browser drives it through
// the embedded Conn.
type hostProc struct {
	*protocoltest.Conn
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stderr protocoltest.LockedBuffer
	exited chan struct{}
}

// startHost starts the host binary with extra environment variables and
// the arguments Chromium passes. At the end of the test it closes stdin and
// waits for the host to exit; a host that does not is killed and the test
// fails.
func startHost(t testing.TB, env ...string) *hostProc {
	t.Helper()
	h := &hostProc{exited: make(chan struct{})}
	h.cmd = exec.Command(hostBin, "chrome-extension://abcdefghijklmnopabcdefghijklmnop/")
	h.cmd.Env = append(os.Environ(), env...)
	h.cmd.Stderr = &h.stderr
	var err error
	if h.stdin, err = h.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	stdout, err := h.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := h.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	h.Conn = protocoltest.NewConn(t, h.stdin)
	go func() {
		defer close(h.exited)
		defer func() { h.cmd.Wait() }()
		h.Read(stdout)
	}()
	t.Cleanup(func() {
		h.stdin.Close()
		select {
		case <-h.exited:
		case <-time.After(5 * time.Second):
			h.cmd.Process.Kill()
			<-h.exited
			t.Errorf("the host did not exit within 5 s of stdin closing")
		}
		if t.Failed() {
			t.Logf("host stderr:\n%s", h.stderr.String())
		}
	})
	return h
}
