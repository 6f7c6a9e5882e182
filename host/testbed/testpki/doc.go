// Package testpki makes J-LIS-shaped test certificates for a fictional card
// holder: two self-signed roots in the JPKI naming, a 利用者証明用 (user
// authentication) certificate and a 署名用 (digital signature) certificate,
// with the extensions the real ones carry (jpki-card.md, "Certificates").
//
// Code that parses, shows or verifies My Number card certificates is tested
// against these instead of real ones, which would leak a real person's data.
// The shape is what matters: one attribute per RDN in the names, a CRL
// distribution point that is a directory name naming the municipality, the
// holder's attributes as otherName entries in the signature certificate. The
// issuers carry an extra "OU=MynaConnect TEST CA <generation>" so that nobody
// mistakes them for J-LIS.
//
// The committed set in testdata/pki (made by cmd/mynaconnect-testpki) is what
// the virtual card and the tests use by default; Default loads it. Its keys
// are public: never trust these CAs outside tests.
package testpki
