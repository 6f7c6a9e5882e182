package jpki

import (
	"errors"
	"fmt"
)

// A pinFile is one of the applet's two secrets and the rule for its format.
type pinFile struct {
	ef       uint16
	name     string
	validate func([]byte) error
}

var (
	authPIN      = pinFile{EFAuthPIN, "auth PIN", ValidateAuthPIN}
	signPassword = pinFile{EFSignPassword, "sign password", ValidateSignPassword}
)

// ValidateAuthPIN checks the 利用者証明用 PIN format: exactly 4 ASCII digits.
func ValidateAuthPIN(pin []byte) error {
	if len(pin) != 4 {
		return fmt.Errorf("%w: the auth PIN has 4 digits, got %d characters", ErrBadPINFormat, len(pin))
	}
	for _, b := range pin {
		if b < '0' || b > '9' {
			return fmt.Errorf("%w: the auth PIN has digits only", ErrBadPINFormat)
		}
	}
	return nil
}

// ValidateSignPassword checks the 署名用 password format: 6 to 16 characters
// of A–Z and 0–9. Callers upper-case it first (NormalizeSignPassword).
func ValidateSignPassword(pw []byte) error {
	if len(pw) < 6 || len(pw) > 16 {
		return fmt.Errorf("%w: the sign password has 6 to 16 characters, got %d", ErrBadPINFormat, len(pw))
	}
	for _, b := range pw {
		if (b < 'A' || b > 'Z') && (b < '0' || b > '9') {
			return fmt.Errorf("%w: the sign password has letters A–Z and digits only", ErrBadPINFormat)
		}
	}
	return nil
}

// NormalizeSignPassword upper-cases ASCII letters in place: the card compares
// the upper-case form, and people type either.
func NormalizeSignPassword(pw []byte) {
	for i, b := range pw {
		if b >= 'a' && b <= 'z' {
			pw[i] = b - 'a' + 'A'
		}
	}
}

// AuthPINRetries returns how many tries the auth PIN has left (0 = blocked).
// It uses no try.
func (c *Card) AuthPINRetries() (int, error) { return c.retries(authPIN) }

// SignPasswordRetries returns how many tries the sign password has left.
func (c *Card) SignPasswordRetries() (int, error) { return c.retries(signPassword) }

// VerifyAuthPIN presents the auth PIN. The format is checked and the retry
// counter read first: a malformed PIN is never sent, and no VERIFY is sent
// when the PIN is already blocked. A wrong PIN returns *PINError with the
// tries left, or ErrPINBlocked when that was the last one.
//
// The caller owns pin and should zero it afterwards; the copy made for the
// command APDU is zeroed here.
func (c *Card) VerifyAuthPIN(pin []byte) error { return c.verify(authPIN, pin) }

// VerifySignPassword presents the sign password (already upper-cased), with
// the same guarantees as VerifyAuthPIN.
func (c *Card) VerifySignPassword(pw []byte) error { return c.verify(signPassword, pw) }

func (c *Card) retries(p pinFile) (int, error) {
	if err := c.selectEF(p.ef); err != nil {
		return 0, fmt.Errorf("jpki: %s retry counter: %w", p.name, err)
	}
	apdu := VerifyCommand(nil)
	resp, err := c.transmit(apdu)
	if err != nil {
		return 0, fmt.Errorf("jpki: %s retry counter: %w", p.name, err)
	}
	if isBlockedSW(resp.SW) {
		return 0, nil
	}
	if n, ok := retriesFromSW(resp.SW); ok {
		return n, nil
	}
	return 0, fmt.Errorf("jpki: %s retry counter: %w", p.name, &StatusError{Op: describe(apdu), SW: resp.SW})
}

func (c *Card) verify(p pinFile, pin []byte) error {
	if err := p.validate(pin); err != nil {
		return err
	}
	left, err := c.retries(p)
	if err != nil {
		return err
	}
	if left == 0 {
		return fmt.Errorf("jpki: %s: %w", p.name, ErrPINBlocked)
	}
	apdu := VerifyCommand(pin)
	resp, err := c.transmit(apdu)
	clear(apdu)
	if err != nil {
		return fmt.Errorf("jpki: %s: %w", p.name, err)
	}
	switch n, counted := retriesFromSW(resp.SW); {
	case resp.SW == SWOK:
		return nil
	case isBlockedSW(resp.SW):
		return fmt.Errorf("jpki: %s: %w", p.name, ErrPINBlocked)
	case counted:
		return &PINError{Retries: n}
	}
	return fmt.Errorf("jpki: %s: %w", p.name, &StatusError{Op: "VERIFY", SW: resp.SW})
}

// IsWrongPIN reports whether err is a wrong-PIN answer and the tries left.
func IsWrongPIN(err error) (retries int, ok bool) {
	var pe *PINError
	if errors.As(err, &pe) {
		return pe.Retries, true
	}
	return 0, false
}
