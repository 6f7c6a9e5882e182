package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/jpki"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
)

func TestParseFlags(t *testing.T) {
	opts, err := parseFlags([]string{
		"--reader-slot", "1", "--pin", "0000", "--auth-retries", "1", "--sign-retries", "0",
		"--fault", "2A=6F00", "--fault", "b0=6282", "--drop-after", "7", "--sign-delay", "1.5s",
		"--token-info", "JPKIAPICCTOKEN", "--not-mynumber", "--once", "-v",
	}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	c := opts.card
	switch {
	case opts.addr != vcard.VPCDReader1:
		t.Errorf("addr %q", opts.addr)
	case c.AuthPIN != vcard.PIN{Value: "0000", MaxRetries: 3, Failures: 2}:
		t.Errorf("auth PIN %+v", c.AuthPIN)
	case c.SignPassword != vcard.PIN{Value: vcard.DefaultSignPassword, MaxRetries: 5, Failures: 5}:
		t.Errorf("sign password %+v", c.SignPassword)
	case len(c.StatusOverride) != 2 || c.StatusOverride[0x2A] != 0x6F00 || c.StatusOverride[0xB0] != 0x6282:
		t.Errorf("faults %v", c.StatusOverride)
	case c.DropAfter != 7 || c.SignDelay != 1500*time.Millisecond || c.TokenInfo != "JPKIAPICCTOKEN" || !c.NotMyNumberCard:
		t.Errorf("card config %+v", c)
	case !opts.once || !opts.verbose:
		t.Errorf("options %+v", opts)
	}
}

func TestParseFlagsRefusesNonsense(t *testing.T) {
	for _, args := range [][]string{
		{"--reader-slot", "2"},
		{"--reader-slot", "1", "--vpcd", "127.0.0.1:1"},
		{"--auth-retries", "4"},
		{"--sign-retries", "-1"},
		{"--fault", "2A"},
		{"--fault", "2A=6F"},
		{"--fault", "2A=6F00", "--fault", "2a=6A82"},
		{"--drop-after", "-1"},
		{"extra"},
		{"--pki", "/nonexistent"},
	} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("parseFlags(%q) accepted", args)
		}
	}
}

func TestHelpExplainsSetup(t *testing.T) {
	var out bytes.Buffer
	if _, err := parseFlags([]string{"--help"}, &out); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("--help: %v", err)
	}
	for _, want := range []string{"pcscd", "vsmartcard-vpcd", "Ctrl-C", "Virtual PCD 00 00", "--state-dir"} {
		if !strings.Contains(out.String(), strings.TrimPrefix(want, "--")) {
			t.Errorf("--help does not mention %q", want)
		}
	}
}

// TestRunServesVPCDUntilItHangsUp plays vpcd for one connection: the card
// dials in, answers get-ATR and a SELECT, and with --once run returns when
// the reader closes.
func TestRunServesVPCDUntilItHangsUp(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	var logs bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"--vpcd", ln.Addr().String(), "--once", "-v"}, &logs) }()

	nc, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	nc.SetDeadline(time.Now().Add(5 * time.Second))
	exchange := func(payload []byte) []byte {
		frame := binary.BigEndian.AppendUint16(nil, uint16(len(payload)))
		if _, err := nc.Write(append(frame, payload...)); err != nil {
			t.Fatal(err)
		}
		var hdr [2]byte
		if _, err := io.ReadFull(nc, hdr[:]); err != nil {
			t.Fatal(err)
		}
		reply := make([]byte, binary.BigEndian.Uint16(hdr[:]))
		if _, err := io.ReadFull(nc, reply); err != nil {
			t.Fatal(err)
		}
		return reply
	}
	if atr := exchange([]byte{0x04}); atr[0] != 0x3B {
		t.Fatalf("ATR % X", atr)
	}
	if resp := exchange(jpki.SelectAIDCommand(jpki.AIDJPKI)); !bytes.Equal(resp, []byte{0x90, 0x00}) {
		t.Fatalf("SELECT AP: % X", resp)
	}
	nc.Close()
	select {
	case err := <-done:
		if !errors.Is(err, vcard.ErrReaderClosed) {
			t.Fatalf("run: %v, want ErrReaderClosed", err)
		}
	case <-ctx.Done():
		t.Fatal("run did not return")
	}
	if !strings.Contains(logs.String(), "apdu 00 A4 04 0C -> 9000") {
		t.Errorf("-v log lacks the APDU:\n%s", logs.String())
	}
}

func TestRunExitsCleanlyOnCancel(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nobody listening: run waits for vpcd
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(200*time.Millisecond, cancel)
	if err := run(ctx, []string{"--vpcd", addr}, io.Discard); err != nil {
		t.Fatalf("run after cancel: %v, want nil", err)
	}
}
