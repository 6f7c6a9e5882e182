// Package pcscd runs the PC/SC daemon for the demo and the tests: it reuses
// a pcscd that is already running, or starts `pcscd --foreground` itself,
// waits until vsmartcard's vpcd readers are listed, and stops what it started
// by PID. Debian has no systemd in containers and CI; this is what replaces
// it. (See docs/jpki-card.md: one pcscd per machine, vpcd on TCP 35963/35964.)
package pcscd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/ebfe/scard"
)

// InstallCommand installs what this package needs on Debian and Ubuntu.
const InstallCommand = "apt-get install -y pcscd libpcsclite-dev vsmartcard-vpcd"

const (
	vpcdConfig   = "/etc/reader.conf.d/vpcd" // installed by vsmartcard-vpcd
	vpcdPort     = 35963                     // slot n listens on vpcdPort+n
	readyTimeout = 10 * time.Second
	stopTimeout  = 5 * time.Second
	pnpReader    = `\\?PnP?\Notification`
	socketPath   = "/run/pcscd/pcscd.comm"
	pidPath      = "/run/pcscd/pcscd.pid"
)

var (
	// ErrNotInstalled: pcscd or the vpcd driver is missing.
	ErrNotInstalled = errors.New("pcscd: not installed (" + InstallCommand + ")")
	// ErrForeignDaemon: a pcscd this package did not start is running where
	// one with its own configuration was asked for.
	ErrForeignDaemon = errors.New("pcscd: a pcscd started elsewhere is running")
)

// readyLine is what pcscd --info logs once its readers are set up and its
// socket accepts clients.
var readyLine = []byte("daemon ready.")

// VPCDReader is the PC/SC name of vpcd's reader for slot 0 or 1.
func VPCDReader(slot int) string { return fmt.Sprintf("Virtual PCD 00 %02X", slot) }

// VPCDAddr is the address a virtual card dials to appear in slot 0 or 1.
func VPCDAddr(slot int) string { return "127.0.0.1:" + strconv.Itoa(vpcdPort+slot) }

// Options change what Start does.
type Options struct {
	// NoReaders starts a pcscd with an empty reader configuration in this
	// directory, as on a machine without a card reader. A pcscd already
	// running is then ErrForeignDaemon.
	NoReaders string
}

// A Daemon is a running pcscd: one Start launched, or one that was already
// running, which Stop leaves alone.
type Daemon struct {
	cmd     *exec.Cmd // nil for a daemon this package did not start
	log     *logWriter
	exited  chan struct{} // closed once cmd has exited
	mu      sync.Mutex
	stopped bool
}

// Start returns a running pcscd with vpcd's two readers listed and empty.
func Start(ctx context.Context) (*Daemon, error) { return StartWith(ctx, Options{}) }

// StartWith is Start with options.
func StartWith(ctx context.Context, o Options) (*Daemon, error) {
	deadline := time.Now().Add(readyTimeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	bare := o.NoReaders != ""
	if pid, ok := Running(); ok {
		if bare {
			return nil, fmt.Errorf("%w (pid %d); stop it first", ErrForeignDaemon, pid)
		}
		// Someone else's daemon gives no sign of readiness but its socket,
		// so this is the one wait that has to retry.
		for {
			sc, err := scard.EstablishContext()
			if err == nil {
				sc.Release()
				break
			}
			if time.Now().After(deadline) {
				return nil, fmt.Errorf("pcscd (pid %d) is running but does not answer: %v", pid, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
		d := &Daemon{}
		return d, d.waitForReaders(deadline)
	}

	removeStaleFiles() // or the new pcscd refuses to start
	bin, err := exec.LookPath("pcscd")
	if err != nil {
		bin = "/usr/sbin/pcscd" // not in PATH for users other than root
		if _, err := os.Stat(bin); err != nil {
			return nil, fmt.Errorf("%w: no pcscd binary", ErrNotInstalled)
		}
	}
	args := []string{"--foreground", "--info"}
	if bare {
		args = append(args, "--config", o.NoReaders)
	} else if _, err := os.Stat(vpcdConfig); err != nil {
		return nil, fmt.Errorf("%w: no %s", ErrNotInstalled, vpcdConfig)
	}

	d := &Daemon{log: newLogWriter(), exited: make(chan struct{})}
	d.cmd = exec.Command(bin, args...)
	d.cmd.Stdout, d.cmd.Stderr = d.log, d.log
	d.cmd.SysProcAttr = sysProcAttr()
	if err := d.cmd.Start(); err != nil {
		return nil, fmt.Errorf("pcscd: start %s: %w", bin, err)
	}
	go func() {
		d.cmd.Wait()
		close(d.exited)
	}()

	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	select {
	case <-d.log.ready:
	case <-d.exited:
		return nil, fmt.Errorf("pcscd exited before it was ready (%v):\n%s", d.cmd.ProcessState, d.log)
	case <-timer.C:
		d.Stop()
		return nil, fmt.Errorf("pcscd not ready after %v:\n%s", readyTimeout, d.log)
	case <-ctx.Done():
		d.Stop()
		return nil, ctx.Err()
	}
	if err := d.waitForSocket(deadline); err != nil {
		d.Stop()
		return nil, err
	}
	if bare {
		return d, nil
	}
	if err := d.waitForReaders(deadline); err != nil {
		d.Stop()
		return nil, err
	}
	return d, nil
}

// Started reports whether this package launched the daemon (and Stop will
// stop it).
func (d *Daemon) Started() bool { return d.cmd != nil }

// Log is what a daemon this package started has logged (empty otherwise).
func (d *Daemon) Log() string {
	if d.log == nil {
		return ""
	}
	return d.log.String()
}

// String says which daemon this is, for people.
func (d *Daemon) String() string {
	if d.cmd == nil {
		return "using the pcscd already running"
	}
	return fmt.Sprintf("started pcscd (pid %d)", d.cmd.Process.Pid)
}

// waitForSocket waits for the daemon to accept clients. pcscd logs "daemon
// ready." just before it opens its socket and logs nothing after, so this
// retries, for the millisecond or so in between.
func (d *Daemon) waitForSocket(deadline time.Time) error {
	for {
		sc, err := scard.EstablishContext()
		if err == nil {
			sc.Release()
			return nil
		}
		select {
		case <-d.exited:
			return fmt.Errorf("pcscd exited before it accepted clients (%v):\n%s", d.cmd.ProcessState, d.log)
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("pcscd does not accept clients after %v: %v\n%s", readyTimeout, err, d.log)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitForReaders waits until both vpcd readers are listed and empty, waking
// on changes rather than polling. A card already in a reader means someone
// else is using this pcscd: a test process that does not take the lock, or a
// virtual card left running.
func (d *Daemon) waitForReaders(deadline time.Time) error {
	sc, err := scard.EstablishContext()
	if err != nil {
		return fmt.Errorf("connect to pcscd: %w", err)
	}
	defer sc.Release()
	want := []scard.ReaderState{{Reader: VPCDReader(0)}, {Reader: VPCDReader(1)}}
	pnp := []scard.ReaderState{{Reader: pnpReader}}
	for {
		names, err := sc.ListReaders()
		if err != nil && !errors.Is(err, scard.ErrNoReadersAvailable) {
			return fmt.Errorf("list readers: %w", err)
		}
		listed := slices.Contains(names, want[0].Reader) && slices.Contains(names, want[1].Reader)
		left := time.Until(deadline)
		if !listed {
			if left <= 0 {
				return fmt.Errorf("pcscd lists readers %q, not vpcd's %q and %q: is vsmartcard-vpcd installed (%s) and pcscd restarted since?",
					names, want[0].Reader, want[1].Reader, InstallCommand)
			}
			err = sc.GetStatusChange(pnp, left)
			if err != nil && !errors.Is(err, scard.ErrTimeout) {
				return fmt.Errorf("wait for readers: %w", err)
			}
			pnp[0].CurrentState = pnp[0].EventState &^ scard.StateChanged
			continue
		}
		// Unaware states (the first time round) are answered at once.
		err = sc.GetStatusChange(want, max(left, 0))
		if errors.Is(err, scard.ErrTimeout) {
			var busy []string
			for _, r := range want {
				if r.EventState&scard.StateEmpty == 0 {
					busy = append(busy, r.Reader)
				}
			}
			return fmt.Errorf("a card is in %q: another program (a test, or a virtual card left running: mynaconnect-vcard) is using this pcscd", busy)
		}
		if err != nil && !errors.Is(err, scard.ErrUnknownReader) {
			return fmt.Errorf("wait for empty readers: %w", err)
		}
		if err == nil && want[0].EventState&want[1].EventState&scard.StateEmpty != 0 {
			return nil
		}
		for i := range want {
			want[i].CurrentState = want[i].EventState &^ scard.StateChanged
		}
	}
}

// Stop ends a daemon this package started: SIGTERM, then SIGKILL if it has
// not exited after stopTimeout. A daemon it did not start is left running.
// Stop may be called more than once.
func (d *Daemon) Stop() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.cmd == nil || d.stopped {
		return
	}
	d.stopped = true
	d.cmd.Process.Signal(syscall.SIGTERM)
	timer := time.NewTimer(stopTimeout)
	defer timer.Stop()
	select {
	case <-d.exited:
		removeStaleFiles()
		return
	case <-timer.C:
	}
	d.cmd.Process.Kill()
	<-d.exited
	removeStaleFiles()
}

// removeStaleFiles removes the socket and PID file of a pcscd that is gone.
// A pcscd killed, or stopped while it was still starting (it then removes
// them before it has created the socket), leaves them behind, and the next
// pcscd would take them for a running daemon.
func removeStaleFiles() {
	if _, running := Running(); running {
		return
	}
	os.Remove(socketPath)
	os.Remove(pidPath)
}

// logWriter keeps the daemon's log for failure reports and tells when pcscd
// says it is ready.
type logWriter struct {
	mu    sync.Mutex
	buf   []byte
	ready chan struct{}
	seen  bool
}

const maxLog = 1 << 20

func newLogWriter() *logWriter { return &logWriter{ready: make(chan struct{})} }

func (w *logWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	if !w.seen && bytes.Contains(w.buf, readyLine) {
		w.seen = true
		close(w.ready)
	}
	if len(w.buf) > maxLog {
		w.buf = slices.Clone(w.buf[len(w.buf)-maxLog/2:])
	}
	return len(p), nil
}

func (w *logWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return string(w.buf)
}
