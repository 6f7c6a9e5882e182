package pcsctest

import (
	"os"
	"testing"

	"github.com/ebfe/scard"
	"github.com/mynaconnect/mynaconnect/host/pcsc/pcscd"
)

func TestStartDaemonRestartsCleanlyTestAfterTest(t *testing.T) {
	var started bool
	for range 3 {
		t.Run("test", func(t *testing.T) {
			d := StartDaemon(t)
			started = d.Started()
			sc, err := scard.EstablishContext()
			if err != nil {
				t.Fatal(err)
			}
			defer sc.Release()
			rs := []scard.ReaderState{{Reader: d.ReaderName(0)}, {Reader: d.ReaderName(1)}}
			if err := sc.GetStatusChange(rs, 0); err != nil {
				t.Fatal(err)
			}
			for _, r := range rs {
				if r.EventState&scard.StateEmpty == 0 {
					t.Errorf("%s: state %#x, want empty", r.Reader, r.EventState)
				}
			}
		})
	}
	if !started {
		return // a pcscd that was already running stays
	}
	if pid, ok := pcscd.Running(); ok {
		t.Errorf("pcscd (pid %d) still running after the last test", pid)
	}
	for _, path := range []string{"/run/pcscd/pcscd.comm", "/run/pcscd/pcscd.pid"} {
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("%s left behind: %v", path, err)
		}
	}
}

func TestStopEndsTheDaemon(t *testing.T) {
	d := StartDaemon(t)
	d.Stop(t)
	if _, err := scard.EstablishContext(); err != scard.ErrNoService {
		t.Errorf("EstablishContext after Stop = %v, want %v", err, scard.ErrNoService)
	}
}
