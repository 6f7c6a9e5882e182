package vcard

import (
	"bytes"
	"crypto/rsa"

	"github.com/mynaconnect/mynaconnect/host/jpki"
)

// tokenInfoSize is the length of EF 0006 (jpki-card.md).
const tokenInfoSize = 32

// pinRef names one of the applet's two PINs.
type pinRef int

const (
	noPIN   pinRef = -1
	authPIN pinRef = 0
	signPIN pinRef = 1
)

// fileKind says which commands an elementary file answers.
type fileKind int

const (
	dataEF fileKind = iota // token info and certificates: READ BINARY
	pinEF                  // a PIN: VERIFY
	keyEF                  // a private key: SIGN, never READ BINARY
)

// ef is one elementary file of the JPKI applet.
type ef struct {
	kind fileKind
	data []byte          // dataEF contents
	pin  pinRef          // dataEF: the PIN that guards READ BINARY; pinEF: itself; keyEF: the PIN SIGN needs
	key  *rsa.PrivateKey // keyEF only
}

// buildFiles lays out the applet as jpki-card.md describes it.
func buildFiles(cfg Config) map[uint16]*ef {
	tokenInfo := bytes.Repeat([]byte{' '}, tokenInfoSize)
	copy(tokenInfo, cfg.TokenInfo)
	return map[uint16]*ef{
		jpki.EFTokenInfo:    {kind: dataEF, data: tokenInfo, pin: noPIN},
		jpki.EFAuthCert:     {kind: dataEF, data: bytes.Clone(cfg.AuthCert), pin: noPIN},
		jpki.EFAuthCACert:   {kind: dataEF, data: bytes.Clone(cfg.AuthCACert), pin: noPIN},
		jpki.EFAuthPIN:      {kind: pinEF, pin: authPIN},
		jpki.EFAuthKey:      {kind: keyEF, pin: authPIN, key: cfg.AuthKey},
		jpki.EFSignCert:     {kind: dataEF, data: bytes.Clone(cfg.SignCert), pin: signPIN},
		jpki.EFSignCACert:   {kind: dataEF, data: bytes.Clone(cfg.SignCACert), pin: noPIN},
		jpki.EFSignPassword: {kind: pinEF, pin: signPIN},
		jpki.EFSignKey:      {kind: keyEF, pin: signPIN, key: cfg.SignKey},
	}
}
