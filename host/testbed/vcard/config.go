package vcard

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"time"
)

// The real card's retry counters (jpki-card.md).
const (
	DefaultAuthRetries = 3
	DefaultSignRetries = 5
)

// DefaultTokenInfo is the token info of a My Number card. An old Juki card
// says "JPKIAPICCTOKEN", a smartphone "JPKIAPGPSETOKEN".
const DefaultTokenInfo = "JPKIAPICCTOKEN2"

// PIN is one of the applet's PINs and the state of its retry counter.
type PIN struct {
	// Value is what VERIFY must present: the ASCII bytes the host sends.
	Value string
	// MaxRetries is the counter a correct VERIFY restores (1 to 15, as
	// 63 Cx has four bits). Zero means the real card's: 3 for the auth
	// PIN, 5 for the sign password.
	MaxRetries int
	// Failures is how many wrong tries the card has already seen: it starts
	// with MaxRetries-Failures left, blocked when that is zero. A counter
	// file in Config.StateDir takes precedence.
	Failures int
}

// Config describes a virtual card. The zero value is not usable: the
// certificates, keys and PINs are required. DefaultConfig fills them from
// the committed test PKI.
type Config struct {
	// DER certificates in the applet's files. The real card's keys are
	// RSA-2048; each end-entity certificate must hold its key's public half.
	AuthCert, AuthCACert []byte
	SignCert, SignCACert []byte
	AuthKey, SignKey     *rsa.PrivateKey

	// AuthPIN is the 4-digit 利用者証明用 PIN (EF 0018).
	AuthPIN PIN
	// SignPassword is the 6 to 16 character 署名用 password of A-Z and 0-9
	// (EF 001B); the card compares bytes, so lowercase is a wrong password.
	SignPassword PIN

	// StateDir, when set, keeps the retry counters in a small JSON file
	// there, so a card locked in one test run or CLI session stays locked in
	// the next, as a real one would.
	StateDir string

	// SignDelay is how long a successful SIGN takes, to simulate a slow chip.
	SignDelay time.Duration

	// NotMyNumberCard makes a card without the JPKI applet: it answers its
	// ATR, but SELECT of the JPKI AID fails with 6A82, like a bank card.
	NotMyNumberCard bool
	// TokenInfo replaces DefaultTokenInfo in EF 0006 (at most 32 printable
	// ASCII characters; the card pads with spaces).
	TokenInfo string
	// ATR replaces the default answer to reset.
	ATR []byte

	// DropAfter, when positive, makes the card leave the reader after
	// answering that many APDUs (see Card.ArmDrop).
	DropAfter int
	// StatusOverride answers the given status word, and nothing else, to
	// every command with that INS byte, without executing it.
	StatusOverride map[byte]uint16

	// OnExchange, when set, is called after each answered APDU, outside the
	// card's lock. Exchange holds no command data.
	OnExchange func(Exchange)
}

// validate checks what New relies on and fills the defaults into a copy.
func (cfg Config) validate() (Config, error) {
	if err := checkKeyPair("auth", cfg.AuthCert, cfg.AuthKey); err != nil {
		return cfg, err
	}
	if err := checkKeyPair("sign", cfg.SignCert, cfg.SignKey); err != nil {
		return cfg, err
	}
	if _, err := x509.ParseCertificate(cfg.AuthCACert); err != nil {
		return cfg, fmt.Errorf("vcard: auth CA certificate: %w", err)
	}
	if _, err := x509.ParseCertificate(cfg.SignCACert); err != nil {
		return cfg, fmt.Errorf("vcard: sign CA certificate: %w", err)
	}
	var err error
	if cfg.AuthPIN, err = checkPIN("auth PIN", "4 digits", cfg.AuthPIN, DefaultAuthRetries, isAuthPIN); err != nil {
		return cfg, err
	}
	if cfg.SignPassword, err = checkPIN("sign password", "6 to 16 of A-Z and 0-9", cfg.SignPassword, DefaultSignRetries, isSignPassword); err != nil {
		return cfg, err
	}
	if cfg.TokenInfo == "" {
		cfg.TokenInfo = DefaultTokenInfo
	}
	if len(cfg.TokenInfo) > tokenInfoSize {
		return cfg, fmt.Errorf("vcard: token info %q is longer than %d bytes", cfg.TokenInfo, tokenInfoSize)
	}
	for _, r := range cfg.TokenInfo {
		if r < 0x20 || r > 0x7E {
			return cfg, fmt.Errorf("vcard: token info %q is not printable ASCII", cfg.TokenInfo)
		}
	}
	if cfg.ATR == nil {
		cfg.ATR = defaultATR()
	}
	if len(cfg.ATR) < 2 || len(cfg.ATR) > 33 {
		return cfg, fmt.Errorf("vcard: ATR of %d bytes, want 2 to 33", len(cfg.ATR))
	}
	cfg.ATR = bytes.Clone(cfg.ATR)
	if cfg.SignDelay < 0 {
		return cfg, fmt.Errorf("vcard: negative sign delay %v", cfg.SignDelay)
	}
	overrides := make(map[byte]uint16, len(cfg.StatusOverride))
	for ins, sw := range cfg.StatusOverride {
		overrides[ins] = sw
	}
	cfg.StatusOverride = overrides
	return cfg, nil
}

func checkKeyPair(name string, der []byte, key *rsa.PrivateKey) error {
	if key == nil {
		return fmt.Errorf("vcard: no %s key", name)
	}
	if err := key.Validate(); err != nil {
		return fmt.Errorf("vcard: %s key: %w", name, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return fmt.Errorf("vcard: %s certificate: %w", name, err)
	}
	if !key.PublicKey.Equal(cert.PublicKey) {
		return fmt.Errorf("vcard: %s certificate does not hold the %s key's public key", name, name)
	}
	return nil
}

func checkPIN(name, format string, p PIN, defaultMax int, wellFormed func(string) bool) (PIN, error) {
	if !wellFormed(p.Value) {
		// The value is not printed: it may be a real person's PIN typed by mistake.
		return p, fmt.Errorf("vcard: %s must be %s", name, format)
	}
	if p.MaxRetries == 0 {
		p.MaxRetries = defaultMax
	}
	if p.MaxRetries < 1 || p.MaxRetries > 15 {
		return p, fmt.Errorf("vcard: %s: %d max retries, want 1 to 15", name, p.MaxRetries)
	}
	if p.Failures < 0 || p.Failures > p.MaxRetries {
		return p, fmt.Errorf("vcard: %s: %d failures, want 0 to %d", name, p.Failures, p.MaxRetries)
	}
	return p, nil
}

func isAuthPIN(s string) bool {
	if len(s) != 4 {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isSignPassword(s string) bool {
	if len(s) < 6 || len(s) > 16 {
		return false
	}
	for i := range len(s) {
		if !(s[i] >= 'A' && s[i] <= 'Z' || s[i] >= '0' && s[i] <= '9') {
			return false
		}
	}
	return true
}
