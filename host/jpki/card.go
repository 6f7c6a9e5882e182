package jpki

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// Token info strings at EF 0006 (space-padded to 32 bytes on the card).
const (
	TokenMyNumberCard = "JPKIAPICCTOKEN2" // My Number card
	TokenJukiCard     = "JPKIAPICCTOKEN"  // the old Juki card
	TokenSmartphone   = "JPKIAPGPSETOKEN" // smartphone JPKI
)

// Card is one session with the JPKI applet of a My Number card.
//
// A Card is not safe for concurrent use: the applet keeps one current file,
// and a SELECT from another goroutine between VERIFY and SIGN would change
// what the card signs with. The caller holds the card exclusively (PC/SC
// SHARE_EXCLUSIVE) for the life of a Card and ends the session with a reset,
// so that no verified PIN outlives it.
type Card struct {
	t         Transport
	tokenInfo string
	// selected is the EF the card currently points at; 0 when unknown. It
	// saves a SELECT per step: APDUs per operation is a performance target.
	selected uint16
}

// Open selects the JPKI applet and checks the token info. It fails with
// ErrNotMyNumberCard for a card without the applet or with another token.
// The card is identified by its applet and token, never by its ATR: ATRs
// vary by chip vendor.
func Open(t Transport) (*Card, error) {
	c := &Card{t: t}
	if err := c.selectApplet(); err != nil {
		return nil, err
	}
	info, err := c.readFile(EFTokenInfo, tokenInfoLength)
	if err != nil {
		return nil, fmt.Errorf("jpki: read token info: %w", err)
	}
	c.tokenInfo = strings.TrimRight(string(bytes.TrimRight(info, "\x00")), " ")
	if c.tokenInfo != TokenMyNumberCard {
		return nil, fmt.Errorf("%w: token info %q", ErrNotMyNumberCard, c.tokenInfo)
	}
	return c, nil
}

// OpenKnown selects the JPKI applet of a card the caller has already
// identified with Open since it was inserted, and skips the token info read.
// Reader monitoring makes that knowledge reliable, and the two APDUs it saves
// are a tenth of a login. A card without the applet still fails with
// ErrNotMyNumberCard.
func OpenKnown(t Transport) (*Card, error) {
	c := &Card{t: t, tokenInfo: TokenMyNumberCard}
	if err := c.selectApplet(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Card) selectApplet() error {
	if _, err := c.exchange(SelectAIDCommand(AIDJPKI)); err != nil {
		if errors.Is(err, ErrFileNotFound) || isRefusedSelect(err) {
			return fmt.Errorf("%w: no JPKI applet (%v)", ErrNotMyNumberCard, err)
		}
		return fmt.Errorf("jpki: select applet: %w", err)
	}
	return nil
}

// isRefusedSelect reports status words a non-JPKI card may answer to a SELECT
// of an AID it does not know.
func isRefusedSelect(err error) bool {
	var se *StatusError
	if !errors.As(err, &se) {
		return false
	}
	switch se.SW {
	case SWWrongParameters, 0x6A81, SWInsNotSupported, SWClaNotSupported, SWConditionsNotSatisfied:
		return true
	}
	return false
}

// TokenInfo is the card's token info, e.g. "JPKIAPICCTOKEN2".
func (c *Card) TokenInfo() string { return c.tokenInfo }

// exchange sends one command and returns the data of a 90 00 answer; any
// other status word becomes a *StatusError naming the command.
func (c *Card) exchange(apdu []byte) ([]byte, error) {
	resp, err := c.transmit(apdu)
	if err != nil {
		return nil, err
	}
	if resp.SW != SWOK {
		return nil, &StatusError{Op: describe(apdu), SW: resp.SW}
	}
	return resp.Data, nil
}

// transmit sends one command and returns the parsed answer whatever its
// status word. A failed transmission forgets the selected file: the card may
// have been reset.
func (c *Card) transmit(apdu []byte) (Response, error) {
	raw, err := c.t.Transmit(apdu)
	if err != nil {
		c.selected = 0
		return Response{}, fmt.Errorf("jpki: %s: %w", describe(apdu), err)
	}
	resp, err := ParseResponse(raw)
	if err != nil {
		return Response{}, fmt.Errorf("jpki: %s: %w", describe(apdu), err)
	}
	return resp, nil
}

// selectEF makes fid the current file unless it already is.
func (c *Card) selectEF(fid uint16) error {
	if c.selected == fid {
		return nil
	}
	c.selected = 0
	if _, err := c.exchange(SelectEFCommand(fid)); err != nil {
		return err
	}
	c.selected = fid
	return nil
}
