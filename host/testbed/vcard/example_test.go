package vcard_test

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"fmt"

	"github.com/mynaconnect/mynaconnect/host/jpki"
	"github.com/mynaconnect/mynaconnect/host/testbed/testpki"
	"github.com/mynaconnect/mynaconnect/host/testbed/vcard"
)

// A login flow against the in-process card: the order jpki-card.md asks
// for, with no SELECT AP between VERIFY and SIGN.
func Example() {
	cfg, err := vcard.DefaultConfig()
	if err != nil {
		panic(err)
	}
	card, err := vcard.New(cfg)
	if err != nil {
		panic(err)
	}
	var t jpki.Transport = card

	digest := sha256.Sum256([]byte("login challenge"))
	digestInfo := append([]byte{0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
		0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20}, digest[:]...)
	var sig []byte
	for _, cmd := range [][]byte{
		jpki.SelectAIDCommand(jpki.AIDJPKI),
		jpki.SelectEFCommand(jpki.EFAuthPIN),
		jpki.VerifyCommand(nil), // retry counter, uses no try
		jpki.VerifyCommand([]byte(vcard.DefaultAuthPIN)),
		jpki.SelectEFCommand(jpki.EFAuthKey),
		jpki.SignCommand(digestInfo),
	} {
		raw, err := t.Transmit(cmd)
		if err != nil {
			panic(err)
		}
		resp, err := jpki.ParseResponse(raw)
		if err != nil {
			panic(err)
		}
		sig = resp.Data
		fmt.Printf("%04X\n", resp.SW)
	}

	p, err := testpki.Default()
	if err != nil {
		panic(err)
	}
	pub := p.AuthCertificate().PublicKey.(*rsa.PublicKey)
	fmt.Println("verifies:", rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig) == nil)
	fmt.Println(card.Log()[3]) // the VERIFY: header and status word, no PIN
	// Output:
	// 9000
	// 9000
	// 63C3
	// 9000
	// 9000
	// 9000
	// verifies: true
	// 00 20 00 80 -> 9000
}
