package vcard

import (
	"bytes"
	"errors"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/jpki"
)

// script packs APDUs the way FuzzTransmit unpacks them: a length byte, then
// the APDU.
func script(cmds ...[]byte) []byte {
	var b []byte
	for _, c := range cmds {
		b = append(b, byte(len(c)))
		b = append(b, c...)
	}
	return b
}

// FuzzTransmit feeds the engine sequences of arbitrary APDUs, so that the
// fuzzer can reach the verified and selected states and not only the first
// command. The card must never panic, always answer with a status word, and
// never let a signature out without the PIN.
func FuzzTransmit(f *testing.F) {
	_, di := digestInfo("fuzz")
	f.Add(script(selectAP(), selectEF(jpki.EFAuthCert), readAt(0, 4), readAt(4, 256)))
	f.Add(script(selectAP(), selectEF(jpki.EFAuthPIN), counterQuery(), verify(DefaultAuthPIN), selectEF(jpki.EFAuthKey), jpki.SignCommand(di)))
	f.Add(script(selectAP(), selectEF(jpki.EFSignPassword), verify(DefaultSignPassword), selectEF(jpki.EFSignCert), readAt(0, 0)))
	f.Add(script(selectAP(), selectEF(jpki.EFAuthPIN), verify("0000"), verify("0000"), verify("0000"), counterQuery()))
	f.Add(script([]byte{0x00, 0xB0, 0x00, 0x00, 0x00, 0x01, 0x00}, []byte{0x80, 0x2A, 0x00, 0x80, 0x00}))
	f.Add([]byte{0xFF, 0x00})

	cfg, err := DefaultConfig()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		c, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		verifiedSeen := false
		for len(in) > 0 {
			n := min(int(in[0]), len(in)-1)
			cmd := in[1 : 1+n]
			in = in[1+n:]
			resp, err := c.Transmit(cmd)
			if err != nil {
				t.Fatalf("Transmit(% X): %v", cmd, err)
			}
			r, err := jpki.ParseResponse(resp)
			if err != nil {
				t.Fatalf("Transmit(% X): %v", cmd, err)
			}
			if len(cmd) >= 4 && cmd[1] == jpki.InsVerify && r.SW == jpki.SWOK {
				verifiedSeen = true
			}
			if len(cmd) >= 4 && cmd[0] == 0x80 && cmd[1] == jpki.InsSign && r.SW == jpki.SWOK && !verifiedSeen {
				t.Fatalf("SIGN answered 9000 without any successful VERIFY")
			}
			if r.SW != jpki.SWOK && r.SW != jpki.SWEndOfFileWarning && len(r.Data) != 0 {
				t.Fatalf("% X: data with SW %04X", cmd, r.SW)
			}
		}
		auth, sign := c.Retries()
		if auth < 0 || auth > DefaultAuthRetries || sign < 0 || sign > DefaultSignRetries {
			t.Fatalf("retries out of range: %d %d", auth, sign)
		}
	})
}

// FuzzReadFrame feeds arbitrary bytes to the vpcd frame reader: it must
// return payloads of exactly the announced length, or an error, and never
// panic.
func FuzzReadFrame(f *testing.F) {
	f.Add([]byte{0x00, 0x01, 0x04})
	f.Add([]byte{0x00, 0x05, 0x00, 0xA4, 0x04, 0x0C, 0x00, 0x00, 0x01, 0x02})
	f.Add([]byte{0xFF, 0xFF, 0x00})
	f.Add([]byte{0x00})
	f.Fuzz(func(t *testing.T, in []byte) {
		r := bytes.NewReader(in)
		buf := make([]byte, maxFrame)
		for {
			before := r.Len()
			frame, err := readFrame(r, buf)
			if err != nil {
				if !isEOF(err) {
					t.Fatalf("error %v is not an EOF", err)
				}
				return
			}
			if want := int(in[len(in)-before])<<8 | int(in[len(in)-before+1]); len(frame) != want {
				t.Fatalf("frame of %d bytes, header said %d", len(frame), want)
			}
		}
	})
}

// FuzzConnHandle feeds arbitrary vpcd frames to the frame handler on a card:
// no panic, and an APDU frame always gets an answer while the card is in.
func FuzzConnHandle(f *testing.F) {
	f.Add(script([]byte{ctrlPowerOn}, []byte{ctrlGetATR}, selectAP(), []byte{ctrlReset}, selectEF(jpki.EFAuthCert)))
	f.Add(script([]byte{ctrlPowerOff}, selectAP()))
	f.Add(script([]byte{0x03}, []byte{}, []byte{0x00, 0xA4}))
	cfg, err := DefaultConfig()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		card, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		conn := &Conn{card: card}
		for len(in) > 0 {
			n := min(int(in[0]), len(in)-1)
			frame := in[1 : 1+n]
			in = in[1+n:]
			reply, ok, err := conn.handle(frame)
			if err != nil {
				// Only an APDU on a powered-off card ends the connection here.
				if len(frame) < 2 || !errors.Is(err, ErrPoweredOff) {
					t.Fatalf("handle(% X): %v", frame, err)
				}
				return
			}
			if len(frame) >= 2 && (!ok || len(reply) < 2) {
				t.Fatalf("handle(% X): no response APDU", frame)
			}
			if len(frame) == 1 && frame[0] == ctrlGetATR && !bytes.Equal(reply, card.ATR()) {
				t.Fatalf("get ATR answered % X", reply)
			}
		}
	})
}
