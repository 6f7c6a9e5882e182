package vcard

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/jpki"
)

func TestDropAfterRemovesCardOnce(t *testing.T) {
	c := newCard(t, func(cfg *Config) { cfg.DropAfter = 2 })
	expect(t, c, selectAP(), jpki.SWOK)
	expect(t, c, selectEF(jpki.EFAuthCert), jpki.SWOK)
	if _, err := c.Transmit(readAt(0, 4)); !errors.Is(err, jpki.ErrCardRemoved) {
		t.Fatalf("third APDU: %v, want ErrCardRemoved", err)
	}
	if c.Present() {
		t.Fatal("card still present after the drop")
	}
	if _, err := c.Transmit(readAt(0, 4)); !errors.Is(err, jpki.ErrCardRemoved) {
		t.Fatalf("after the drop: %v, want ErrCardRemoved", err)
	}
	c.Insert()
	for range 5 {
		expect(t, c, selectAP(), jpki.SWOK) // fired once: the card stays now
	}
	if n := c.Count(jpki.InsReadBinary); n != 0 {
		t.Errorf("dropped APDUs counted: %d", n)
	}
}

func TestArmDrop(t *testing.T) {
	c := newCard(t, nil)
	c.ArmDrop(0)
	if _, err := c.Transmit(selectAP()); !errors.Is(err, jpki.ErrCardRemoved) {
		t.Fatalf("ArmDrop(0): %v, want ErrCardRemoved on the next APDU", err)
	}
	c.Insert()
	c.ArmDrop(1)
	c.ArmDrop(-1)
	expect(t, c, selectAP(), jpki.SWOK)
	expect(t, c, selectAP(), jpki.SWOK)
}

func TestSignDelayIsHonoured(t *testing.T) {
	const delay = 150 * time.Millisecond
	c := newCard(t, func(cfg *Config) { cfg.SignDelay = delay })
	login(t, c, jpki.EFAuthPIN, DefaultAuthPIN, jpki.EFAuthKey)
	_, di := digestInfo("slow")
	start := time.Now()
	expect(t, c, jpki.SignCommand(di), jpki.SWOK)
	if took := time.Since(start); took < delay {
		t.Fatalf("SIGN took %v, want at least %v", took, delay)
	}
	// Only signing is slow; a refused SIGN is not.
	c.Reset()
	expect(t, c, selectAP(), jpki.SWOK)
	expect(t, c, selectEF(jpki.EFAuthKey), jpki.SWOK)
	start = time.Now()
	expect(t, c, jpki.SignCommand(di), jpki.SWSecurityStatusNotSatisfied)
	if took := time.Since(start); took >= delay {
		t.Fatalf("refused SIGN took %v", took)
	}
}

func TestInterruptedSignLosesTheAnswer(t *testing.T) {
	for _, tc := range []struct {
		name      string
		interrupt func(*Card)
		want      error
	}{
		{"Remove", (*Card).Remove, jpki.ErrCardRemoved},
		{"Reset", (*Card).Reset, jpki.ErrCardReset},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCard(t, func(cfg *Config) { cfg.SignDelay = 10 * time.Second })
			login(t, c, jpki.EFAuthPIN, DefaultAuthPIN, jpki.EFAuthKey)
			_, di := digestInfo("interrupted")
			time.AfterFunc(50*time.Millisecond, func() { tc.interrupt(c) })
			start := time.Now()
			_, err := c.Transmit(jpki.SignCommand(di))
			if !errors.Is(err, tc.want) {
				t.Fatalf("SIGN: %v, want %v", err, tc.want)
			}
			if took := time.Since(start); took > 5*time.Second {
				t.Fatalf("interruption took %v to end the SIGN", took)
			}
		})
	}
}

func TestConcurrentUseIsSafe(t *testing.T) {
	c := newCard(t, nil)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 50 {
				c.Transmit(selectAP())
				c.Transmit(selectEF(jpki.EFAuthCert))
				c.Transmit(readAt(0, 4))
				c.Log()
				c.Count(jpki.InsSelect)
			}
		})
	}
	wg.Go(func() {
		for range 50 {
			c.Reset()
			c.Retries()
		}
	})
	wg.Wait()
	if n := c.Count(jpki.InsSelect); n != 400 {
		t.Fatalf("Count(SELECT) = %d, want 400", n)
	}
}

func TestLogIsBounded(t *testing.T) {
	c := newCard(t, nil)
	for range maxLog + 10 {
		c.Transmit([]byte{0x00, 0xCA, 0x00, 0x00})
	}
	if n := len(c.Log()); n != maxLog {
		t.Fatalf("log holds %d exchanges, want %d", n, maxLog)
	}
	if n := c.Count(0xCA); n != maxLog+10 {
		t.Fatalf("Count = %d, want %d", n, maxLog+10)
	}
}
