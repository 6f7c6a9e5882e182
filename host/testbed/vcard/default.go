package vcard

import (
	"fmt"

	"github.com/mynaconnect/mynaconnect/host/testbed/testpki"
)

// The PINs of DefaultConfig: test values, never a real card's.
const (
	DefaultAuthPIN      = "1234"
	DefaultSignPassword = "ABC123"
)

// DefaultConfig is a healthy card holding the committed test PKI
// (testpki.Default), with auth PIN DefaultAuthPIN and sign password
// DefaultSignPassword, full retry counters and no faults.
func DefaultConfig() (Config, error) {
	p, err := testpki.Default()
	if err != nil {
		return Config{}, fmt.Errorf("vcard: default test PKI: %w", err)
	}
	return ConfigFromPKI(p), nil
}

// ConfigFromPKI is DefaultConfig with the certificates and keys of p.
func ConfigFromPKI(p *testpki.PKI) Config {
	return Config{
		AuthCert:     p.AuthCert,
		AuthCACert:   p.AuthCA.DER,
		AuthKey:      p.AuthKey,
		SignCert:     p.SignCert,
		SignCACert:   p.SignCA.DER,
		SignKey:      p.SignKey,
		AuthPIN:      PIN{Value: DefaultAuthPIN},
		SignPassword: PIN{Value: DefaultSignPassword},
	}
}
