// Package pcsctest runs tests on the real PC/SC stack: pcscd with
// vsmartcard's vpcd driver, whose two readers a virtual card joins over TCP
// (see docs/jpki-card.md). Only tests import it.
//
// One pcscd serves the whole machine and vpcd listens on fixed ports, so test
// processes that use it must take turns: StartDaemon holds an exclusive lock
// on /tmp/mynaconnect-pcscd.lock while any test of the process uses the
// daemon, and `go test ./...`, which runs packages in parallel processes,
// runs their pcscd tests one package at a time. For the same reason tests
// that use the daemon must not call t.Parallel.
//
// Without pcscd or vpcd installed, the tests are skipped with the apt-get
// command that installs them; with the environment variable CI set, they fail
// instead, so that CI never passes by skipping.
package pcsctest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/testbed/citest"

	"github.com/mynaconnect/mynaconnect/host/pcsc/pcscd"
)

const (
	// LockPath is the file whose lock makes test processes take turns.
	LockPath = "/tmp/mynaconnect-pcscd.lock"
	// InstallCommand installs what the harness needs on Debian and Ubuntu.
	InstallCommand = pcscd.InstallCommand
)

// A Daemon is the pcscd the tests talk to: one this harness started, or one
// that was already running, which it reuses and never stops.
type Daemon struct {
	*pcscd.Daemon
}

// ReaderName returns the PC/SC name of vpcd's reader for slot 0 or 1.
func (d *Daemon) ReaderName(slot int) string {
	return pcscd.VPCDReader(slot)
}

// VPCDAddr returns the address a virtual card dials to appear in the reader
// for slot 0 or 1.
func (d *Daemon) VPCDAddr(slot int) string {
	return pcscd.VPCDAddr(slot)
}

// process-wide state: the lock and the daemon are shared by the tests of one
// test binary that use them at the same time, and let go by the last one.
var shared struct {
	sync.Mutex
	users  int
	lock   *os.File
	daemon *Daemon
	bare   bool
}

// StartDaemon returns a running pcscd with vpcd's readers listed: the one
// already running on the machine if there is one, else one it starts with
// `pcscd --foreground` and stops (by PID) when the test and every other test
// of the process using it have finished.
func StartDaemon(t testing.TB) *Daemon {
	t.Helper()
	return start(t, false)
}

// StartDaemonWithoutReaders starts a pcscd with no reader configured, for
// tests of what a machine without a card reader does. It needs to start the
// daemon itself: when another pcscd is running, the test is skipped (or fails
// under CI).
func StartDaemonWithoutReaders(t testing.TB) *Daemon {
	t.Helper()
	return start(t, true)
}

func start(t testing.TB, bare bool) *Daemon {
	t.Helper()
	if runtime.GOOS != "linux" {
		citest.Unavailable(t, "pcsctest: %s", "the pcscd + vpcd test harness runs on Linux only")
	}
	shared.Lock()
	defer shared.Unlock()
	if shared.users == 0 {
		f, err := lock(t)
		if err != nil {
			t.Fatalf("pcsctest: %v", err)
		}
		shared.lock = f
	}
	shared.users++
	t.Cleanup(release)

	if d := shared.daemon; d != nil {
		if bare != shared.bare {
			t.Fatal("pcsctest: a test of this process uses a pcscd with other readers; do not mix StartDaemon and StartDaemonWithoutReaders in parallel tests")
		}
		return d
	}
	d, err := launch(t, bare)
	if err != nil {
		if errors.Is(err, pcscd.ErrNotInstalled) || errors.Is(err, pcscd.ErrForeignDaemon) {
			citest.Unavailable(t, "pcsctest: %s", err.Error())
		}
		t.Fatalf("pcsctest: %v", err)
	}
	shared.daemon, shared.bare = d, bare
	return d
}

// lock takes the cross-process lock, saying so when it has to wait.
func lock(t testing.TB) (*os.File, error) {
	f, err := os.OpenFile(LockPath, os.O_RDWR|os.O_CREATE, 0o666)
	if err != nil {
		return nil, err
	}
	if err := flock(f, false); err == nil {
		return f, nil
	}
	t.Logf("pcsctest: waiting for %s: another test process is using pcscd", LockPath)
	if err := flock(f, true); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", LockPath, err)
	}
	return f, nil
}

// launch reuses a running pcscd or starts one; a failed test prints its log.
func launch(t testing.TB, bare bool) (*Daemon, error) {
	var o pcscd.Options
	if bare {
		o.NoReaders = t.TempDir()
	}
	d, err := pcscd.StartWith(context.Background(), o)
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() {
		if t.Failed() && d.Started() {
			t.Logf("pcscd log:\n%s", d.Log())
		}
	})
	return &Daemon{d}, nil
}

func release() {
	shared.Lock()
	defer shared.Unlock()
	if shared.users--; shared.users > 0 {
		return
	}
	if d := shared.daemon; d != nil {
		d.Daemon.Stop()
		shared.daemon = nil
	}
	shared.lock.Close() // closing the file drops the lock
	shared.lock = nil
}

// Stop stops the daemon now, for tests of what happens when pcscd goes away.
// A daemon this harness did not start is not its to stop: the test is then
// skipped (or fails under CI).
func (d *Daemon) Stop(t testing.TB) {
	t.Helper()
	if !d.Started() {
		citest.Unavailable(t, "pcsctest: %s", "the running pcscd was not started by this harness; it will not stop it")
	}
	shared.Lock()
	defer shared.Unlock()
	d.Daemon.Stop()
	shared.daemon = nil // the next test of this process starts a new one
}
