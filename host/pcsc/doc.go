// Package pcsc is MynaConnect's PC/SC transport: it lists the card readers,
// reports cards arriving and leaving, and opens exclusive sessions with a card
// that implement jpki.Transport. It sits on github.com/ebfe/scard, so it uses
// pcsc-lite (pcscd) on Linux and macOS, which needs cgo, and winscard.dll on
// Windows, which does not.
//
// Every call establishes its own PC/SC context and a Session owns one for its
// lifetime. pcsc-lite serialises all calls made on one context, so a shared
// context would let a blocking wait for a card (Watch, WaitForCard) stall a
// Transmit, and one session's slow signature stall another reader's session.
// Establishing a context is one local round trip, cheap next to a card
// operation.
//
// Failures come back as the card layer's errors, named once here from the
// PC/SC code (jpki.ErrNoService, jpki.ErrNoReader, jpki.ErrNoCard,
// jpki.ErrCardRemoved, jpki.ErrCardReset, jpki.ErrReaderBusy,
// jpki.ErrCardMute, jpki.ErrNotMyNumberCard; each carries its protocol
// code), or as ErrClosed. The PC/SC code stays in the chain, so errors.Is
// also matches the scard.Error behind them.
//
// Presence is event-driven: Watch and WaitForCard block in
// SCardGetStatusChange and never poll. On Linux pcscd itself polls readers
// whose driver cannot signal (vsmartcard's vpcd among them) every 400 ms,
// which bounds how quickly such a reader reports an insertion or removal.
//
// The tests run on the real stack, pcscd with vpcd and the virtual card of
// package vcard, through the harness in package pcsctest.
package pcsc
