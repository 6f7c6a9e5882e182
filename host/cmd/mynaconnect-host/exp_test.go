package main

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/pcsc"
	"github.com/mynaconnect/mynaconnect/host/pcsc/pcsctest"
)

func TestExpWatch(t *testing.T) {
	if os.Getenv("EXP") == "" {
		t.Skip()
	}
	d := pcsctest.StartDaemon(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := time.Now()
	go pcsc.Watch(ctx, func(rs []pcsc.ReaderState) {
		for _, r := range rs {
			if r.Name == d.ReaderName(0) {
				t.Logf("%v present=%v mute=%v inuse=%v atr=%x", time.Since(start).Round(time.Millisecond), r.CardPresent, r.Mute, r.InUse, r.ATR)
			}
		}
	})
	time.Sleep(100 * time.Millisecond)
	card := newCard(t, nil)
	plug(t, d, 0, card)
	wctx, wcancel := context.WithTimeout(ctx, 3*time.Second)
	pcsc.WaitForCard(wctx, d.ReaderName(0))
	wcancel()
	for i := 0; time.Since(start) < 3*time.Second; i++ {
		s, err := pcsc.Connect(d.ReaderName(0))
		if err != nil {
			t.Fatal(err)
		}
		s.Transmit([]byte{0x00, 0xA4, 0x04, 0x0C, 0x0A, 0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01})
		s.Close()
		if i%200 == 0 {
			t.Logf("%v session %d closed", time.Since(start).Round(time.Millisecond), i)
		}
		if i%200 != 0 {
			continue
		}
	}
}
