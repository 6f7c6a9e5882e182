package authtoken

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
)

// IssuerName is the certificate issuer's distinguished name as the
// certificate holds it, one attribute per RDN (RFC 4514 order).
// pkix.Name.String would merge J-LIS's three OUs into one multi-valued RDN,
// which is not what the certificate says.
func IssuerName(c *x509.Certificate) string {
	var rdns pkix.RDNSequence
	if rest, err := asn1.Unmarshal(c.RawIssuer, &rdns); err != nil || len(rest) > 0 {
		return c.Issuer.String()
	}
	return rdns.String()
}
