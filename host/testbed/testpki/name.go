package testpki

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
)

// Attribute values of the JPKI names (jpki-card.md, "Issuers").
const (
	ouAuth   = "JPKI for user authentication"
	ouSign   = "JPKI for digital signature"
	ouJLIS   = "Japan Agency for Local Authority Information Systems"
	ouCRLDP  = "CRL Distribution Points"
	cnCRLDP  = " CRLDP" // suffix after the municipality in the CRLDP's CN
	ouTestCA = "MynaConnect TEST CA"
)

var (
	oidCountry  = asn1.ObjectIdentifier{2, 5, 4, 6}
	oidOrg      = asn1.ObjectIdentifier{2, 5, 4, 10}
	oidOrgUnit  = asn1.ObjectIdentifier{2, 5, 4, 11}
	oidCommon   = asn1.ObjectIdentifier{2, 5, 4, 3}
	oidLocality = asn1.ObjectIdentifier{2, 5, 4, 7}
)

// attr is one attribute of a distinguished name; a name is a list of them,
// each in its own RDN.
type attr struct {
	typ   asn1.ObjectIdentifier
	value string
}

// marshalName encodes attributes with one attribute per RDN, as J-LIS does.
// pkix.Name cannot: it puts repeated OUs into a single multi-valued RDN,
// which changes the DER and the name a strict parser sees. encoding/asn1
// picks PrintableString when the value allows it and UTF8String otherwise,
// which is also what the Japanese names need.
func marshalName(attrs ...attr) ([]byte, error) {
	seq := make(pkix.RDNSequence, 0, len(attrs))
	for _, a := range attrs {
		seq = append(seq, pkix.RelativeDistinguishedNameSET{{Type: a.typ, Value: a.value}})
	}
	der, err := asn1.Marshal(seq)
	if err != nil {
		return nil, fmt.Errorf("testpki: encoding name: %w", err)
	}
	return der, nil
}

// caName is the issuer and subject of a test root: the J-LIS name, then one
// RDN that says it is a test CA. Appending keeps every J-LIS attribute where
// a parser expects it.
func caName(kind Kind, generation string) []attr {
	test := ouTestCA
	if generation != "" {
		test += " " + generation
	}
	return []attr{
		{oidCountry, "JP"},
		{oidOrg, "JPKI"},
		{oidOrgUnit, kind.orgUnit()},
		{oidOrgUnit, ouJLIS},
		{oidOrgUnit, test},
	}
}

// crlDPName is the directory name in a holder certificate's CRL distribution
// point. J-LIS keeps a CRL per municipality, so this names where the card was
// issued: a coarse location of the holder.
func crlDPName(kind Kind, h Holder) []attr {
	return []attr{
		{oidCountry, "JP"},
		{oidOrg, "JPKI"},
		{oidOrgUnit, kind.orgUnit()},
		{oidOrgUnit, ouCRLDP},
		{oidOrgUnit, h.Prefecture},
		{oidCommon, h.Municipality + cnCRLDP},
	}
}

// japanese maps the issuer's attribute values to the Japanese names of the
// service, which is how the real certificates' IssuerAltName reads.
var japanese = map[string]string{
	"JPKI": "公的個人認証サービス",
	ouAuth: "公的個人認証サービス利用者証明用",
	ouSign: "公的個人認証サービス署名用",
	ouJLIS: "地方公共団体情報システム機構",
}

// issuerAltName is the issuer's name in Japanese. Attributes without a
// translation, the test marker among them, stay as they are, so the
// alternative name says "test" wherever the issuer does.
func issuerAltName(issuer []attr) []attr {
	out := make([]attr, len(issuer))
	for i, a := range issuer {
		out[i] = a
		if ja, ok := japanese[a.value]; ok {
			out[i].value = ja
		}
	}
	return out
}

// parseName decodes a DER name into its attributes in order, refusing
// multi-valued RDNs and non-string values: none occur in the JPKI profile.
func parseName(der []byte) ([]attr, error) {
	var seq pkix.RDNSequence
	rest, err := asn1.Unmarshal(der, &seq)
	if err != nil {
		return nil, fmt.Errorf("testpki: parsing name: %w", err)
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("testpki: parsing name: %d trailing bytes", len(rest))
	}
	attrs := make([]attr, 0, len(seq))
	for i, rdn := range seq {
		if len(rdn) != 1 {
			return nil, fmt.Errorf("testpki: parsing name: RDN %d has %d attributes, want 1", i, len(rdn))
		}
		s, ok := rdn[0].Value.(string)
		if !ok {
			return nil, fmt.Errorf("testpki: parsing name: RDN %d (%v) is not a string", i, rdn[0].Type)
		}
		attrs = append(attrs, attr{rdn[0].Type, s})
	}
	return attrs, nil
}
