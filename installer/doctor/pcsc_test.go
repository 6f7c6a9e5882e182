package doctor

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/pcsc"
	"github.com/mynaconnect/mynaconnect/host/pcsc/pcsctest"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard/vcardtest"
)

// These tests diagnose the real stack: pcscd, vpcd and a virtual card,
// through SystemPCSC. Under CI=true they fail rather than skip when pcscd
// or vpcd is missing. "pcscd not running" is tested for real by the
// mynaconnect command's tests, in a process of its own pointed at a socket
// where no daemon listens (libpcsclite reads that path once per process).

// cardFindings runs the doctor with the real PC/SC and no browser, and
// returns the card half of its findings.
func cardFindings(t *testing.T) []string {
	t.Helper()
	s := newScene(t)
	s.cfg.PCSC = SystemPCSC{}
	var got []string
	for _, c := range codes(Run(context.Background(), s.cfg)) {
		if c != "NO_BROWSER/warn" {
			got = append(got, c)
		}
	}
	return got
}

func TestRealPCSCWithoutAReader(t *testing.T) {
	pcsctest.StartDaemonWithoutReaders(t)
	got := cardFindings(t)
	if want := "PCSCD_RUNNING/ok NO_READER/fail"; strings.Join(got, " ") != want {
		t.Errorf("findings %v, want %s", got, want)
	}
}

func TestRealPCSCCards(t *testing.T) {
	tests := []struct {
		name string
		edit func(*vcard.Config) // nil: no card at all
		want string
	}{
		{"no card", nil, "PCSCD_RUNNING/ok READER_FOUND/ok NO_CARD/warn"},
		{"My Number card", func(*vcard.Config) {}, "PCSCD_RUNNING/ok READER_FOUND/ok CARD_READY/ok PIN_OK/ok"},
		{"one PIN try left", func(c *vcard.Config) { c.AuthPIN.Failures = 2 },
			"PCSCD_RUNNING/ok READER_FOUND/ok CARD_READY/ok PIN_LAST_TRY/warn"},
		{"PIN blocked", func(c *vcard.Config) { c.AuthPIN.Failures = 3 },
			"PCSCD_RUNNING/ok READER_FOUND/ok CARD_READY/ok PIN_BLOCKED/fail"},
		{"another card", func(c *vcard.Config) { c.NotMyNumberCard = true },
			"PCSCD_RUNNING/ok READER_FOUND/ok NOT_MYNUMBER_CARD/fail"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := pcsctest.StartDaemon(t)
			if tt.edit != nil {
				card := vcardtest.NewCard(t, tt.edit)
				vcardtest.Plug(t, d.VPCDAddr(0), card)
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				if err := pcsc.WaitForCard(ctx, d.ReaderName(0)); err != nil {
					t.Fatal(err)
				}
			}
			if got := strings.Join(cardFindings(t), " "); got != tt.want {
				t.Errorf("findings %s\nwant     %s", got, tt.want)
			}
		})
	}
}
