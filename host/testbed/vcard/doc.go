// Package vcard is a virtual My Number card: the JPKI applet's APDU interface
// (docs/jpki-card.md) with two front ends.
//
// In process, a *Card is a jpki.Transport: tests drive the host's card layer
// against it directly. Over TCP, Dial plugs the same card into vsmartcard's
// vpcd driver, so that a real pcscd, and every PC/SC client on the machine
// (the host, OpenSC, pcsc_scan), sees a card in the reader "Virtual PCD 00 00".
//
// The card enforces the rules host code can get wrong: files are selected
// inside the applet, the signature certificate needs the sign password,
// re-selecting the applet or resetting the card logs out, wrong PINs count
// down a persistent retry counter, and SIGN needs the matching PIN. Faults a
// real card shows now and then (removal mid-operation, odd status words, a
// slow chip, a card that is not a My Number card) can be switched on.
//
// The card records each APDU's header and status word for tests, never its
// data: a VERIFY carries a PIN.
package vcard
