package authtoken

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"strings"
)

var (
	oidCRLDistributionPoints = asn1.ObjectIdentifier{2, 5, 29, 31}
	oidCommonName            = asn1.ObjectIdentifier{2, 5, 4, 3}
	oidOrganizationalUnit    = asn1.ObjectIdentifier{2, 5, 4, 11}
)

// crldpSuffix ends the common name of a JPKI CRL distribution point.
const crldpSuffix = " CRLDP"

// IssuingMunicipality returns the prefecture and municipality that issued a
// JPKI certificate, as named by its CRL distribution point: the directory
// name "..., OU=<prefecture>, CN=<municipality> CRLDP". It returns empty
// strings when the certificate has no distribution point of that shape.
//
// crypto/x509 keeps only the URIs of CRL distribution points, so this parses
// the extension itself.
func IssuingMunicipality(cert *x509.Certificate) (prefecture, municipality string) {
	for _, ext := range cert.Extensions {
		if !ext.Id.Equal(oidCRLDistributionPoints) {
			continue
		}
		for _, name := range directoryNames(ext.Value) {
			if p, m, ok := municipalityFromName(name); ok {
				return p, m
			}
		}
	}
	return "", ""
}

// directoryNames returns the directory names among the full names of the
// distribution points in a CRLDistributionPoints extension (RFC 5280
// 4.2.1.13):
//
//	SEQUENCE OF DistributionPoint ::= SEQUENCE {
//	    distributionPoint [0] CHOICE { fullName [0] IMPLICIT GeneralNames, ... } ... }
//	GeneralName ::= CHOICE { ..., directoryName [4] EXPLICIT Name, ... }
func directoryNames(der []byte) []pkix.RDNSequence {
	var names []pkix.RDNSequence
	var points asn1.RawValue
	if rest, err := asn1.Unmarshal(der, &points); err != nil || len(rest) > 0 ||
		points.Class != asn1.ClassUniversal || points.Tag != asn1.TagSequence {
		return nil
	}
	for _, point := range children(points.Bytes) {
		if point.Class != asn1.ClassUniversal || point.Tag != asn1.TagSequence {
			continue
		}
		for _, dpName := range children(point.Bytes) {
			if !isContext(dpName, 0) {
				continue
			}
			for _, fullName := range children(dpName.Bytes) {
				if !isContext(fullName, 0) {
					continue
				}
				for _, gn := range children(fullName.Bytes) {
					if !isContext(gn, 4) {
						continue
					}
					var name pkix.RDNSequence
					if rest, err := asn1.Unmarshal(gn.Bytes, &name); err == nil && len(rest) == 0 {
						names = append(names, name)
					}
				}
			}
		}
	}
	return names
}

// children splits the contents of a constructed value into its elements,
// stopping at the first one that does not parse.
func children(b []byte) []asn1.RawValue {
	var out []asn1.RawValue
	for len(b) > 0 {
		var v asn1.RawValue
		rest, err := asn1.Unmarshal(b, &v)
		if err != nil {
			return out
		}
		out = append(out, v)
		b = rest
	}
	return out
}

func isContext(v asn1.RawValue, tag int) bool {
	return v.Class == asn1.ClassContextSpecific && v.Tag == tag && v.IsCompound
}

// municipalityFromName reads "..., OU=<prefecture>, CN=<municipality> CRLDP":
// the municipality is the common name without its " CRLDP" suffix, the
// prefecture the organizational unit in the RDN just before it.
func municipalityFromName(name pkix.RDNSequence) (prefecture, municipality string, ok bool) {
	for i, rdn := range name {
		cn, isCN := attribute(rdn, oidCommonName)
		if !isCN {
			continue
		}
		municipality, ok = strings.CutSuffix(cn, crldpSuffix)
		if !ok || municipality == "" {
			continue
		}
		if i > 0 {
			prefecture, _ = attribute(name[i-1], oidOrganizationalUnit)
		}
		return prefecture, municipality, true
	}
	return "", "", false
}

// attribute returns the string value of the attribute of type oid in rdn.
func attribute(rdn pkix.RelativeDistinguishedNameSET, oid asn1.ObjectIdentifier) (string, bool) {
	for _, atv := range rdn {
		if atv.Type.Equal(oid) {
			s, ok := atv.Value.(string)
			return s, ok
		}
	}
	return "", false
}
