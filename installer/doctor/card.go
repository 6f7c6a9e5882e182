package doctor

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/mynaconnect/mynaconnect/host/jpki"
	"github.com/mynaconnect/mynaconnect/host/pcsc"
	"github.com/mynaconnect/mynaconnect/installer/findings"
)

// PCSC is the doctor's access to the card readers. SystemPCSC is the real
// one; tests substitute failures that are hard to cause for real.
type PCSC interface {
	// Readers lists the readers and their cards (pcsc.Readers).
	Readers() ([]pcsc.ReaderState, error)
	// AuthPINRetries opens the card in reader as a My Number card and
	// reads its auth PIN's retry counter, which uses no try.
	AuthPINRetries(reader string) (int, error)
}

// SystemPCSC is PC/SC on this machine.
type SystemPCSC struct{}

// Readers implements PCSC.
func (SystemPCSC) Readers() ([]pcsc.ReaderState, error) { return pcsc.Readers() }

// AuthPINRetries implements PCSC. The session is exclusive for the two
// APDUs it takes and ends with a reset, like every host session.
func (SystemPCSC) AuthPINRetries(reader string) (int, error) {
	s, err := pcsc.Connect(reader)
	if err != nil {
		return 0, err
	}
	defer s.Close()
	c, err := jpki.Open(s)
	if err != nil {
		return 0, err
	}
	return c.AuthPINRetries()
}

// pcscdInstalled looks for the pcscd program; root's PATH has /usr/sbin,
// other users' often not.
func pcscdInstalled() bool {
	if _, err := exec.LookPath("pcscd"); err == nil {
		return true
	}
	_, err := os.Stat("/usr/sbin/pcscd")
	return err == nil
}

// checkCards checks the PC/SC service, the readers, and each card present
// with its auth PIN.
func checkCards(cfg Config) []Finding {
	readers, err := cfg.PCSC.Readers()
	switch {
	case errors.Is(err, jpki.ErrNoService):
		if cfg.Env.OS != "linux" {
			return []Finding{findingAs(CodePCSCDNotRunning, findings.PCSCDNotRunningOther, "", err.Error())}
		}
		if !cfg.PCSCDInstalled() {
			return []Finding{finding(CodePCSCDNotInstalled, "pcscd", err.Error())}
		}
		return []Finding{finding(CodePCSCDNotRunning, "pcscd", err.Error())}
	case err != nil:
		return []Finding{finding(CodePCSCError, "", err.Error())}
	}
	out := []Finding{finding(CodePCSCDRunning, "pcscd", "")}
	if len(readers) == 0 {
		return append(out, finding(CodeNoReader, "", ""))
	}
	var names []string
	for _, r := range readers {
		names = append(names, r.Name)
	}
	out = append(out, finding(CodeReaderFound, strings.Join(names, ", "), "", strings.Join(names, ", ")))

	cards := 0
	for _, r := range readers {
		if !r.CardPresent {
			continue
		}
		cards++
		if r.Mute {
			out = append(out, finding(CodeCardMute, r.Name, "", r.Name))
			continue
		}
		out = append(out, checkCard(cfg, r.Name)...)
	}
	if cards == 0 {
		out = append(out, finding(CodeNoCard, "", fmt.Sprintf("readers: %s", strings.Join(names, ", "))))
	}
	return out
}

// checkCard identifies the card in reader and reads its PIN counter.
func checkCard(cfg Config, reader string) []Finding {
	n, err := cfg.PCSC.AuthPINRetries(reader)
	switch {
	case errors.Is(err, jpki.ErrNotMyNumberCard):
		return []Finding{finding(CodeNotMyNumberCard, reader, err.Error(), reader)}
	case errors.Is(err, jpki.ErrCardMute):
		return []Finding{finding(CodeCardMute, reader, err.Error(), reader)}
	case errors.Is(err, jpki.ErrReaderBusy):
		return []Finding{finding(CodeReaderBusy, reader, err.Error(), reader)}
	case errors.Is(err, jpki.ErrNoCard), errors.Is(err, jpki.ErrCardRemoved):
		// Taken away between the listing and the check.
		return []Finding{finding(CodeNoCard, reader, err.Error())}
	case errors.Is(err, jpki.ErrNoService):
		return []Finding{finding(CodePCSCDNotRunning, "pcscd", err.Error())}
	case err != nil:
		return []Finding{finding(CodeCardError, reader, err.Error(), reader)}
	}
	out := []Finding{finding(CodeCardReady, reader, "", reader)}
	switch {
	case n == 0:
		out = append(out, finding(CodePINBlocked, reader, ""))
	case n == 1:
		out = append(out, finding(CodePINLastTry, reader, ""))
	default:
		out = append(out, finding(CodePINOK, reader, "", n))
	}
	return out
}
