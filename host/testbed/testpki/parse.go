package testpki

import (
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// MunicipalityFromCRLDP reads the issuing municipality back from a JPKI
// certificate's CRL distribution point, the directory name
// "C=JP, O=JPKI, OU=<service>, OU=CRL Distribution Points, OU=<prefecture>,
// CN=<municipality> CRLDP". A consent sheet shows it because sending the
// authentication certificate discloses it. ok is false when the certificate
// has no distribution point of that shape.
func MunicipalityFromCRLDP(cert *x509.Certificate) (prefecture, municipality string, ok bool) {
	ext, found := extension(cert, oidExtCRLDP)
	if !found {
		return "", "", false
	}
	var dps []distributionPoint
	if rest, err := asn1.Unmarshal(ext, &dps); err != nil || len(rest) != 0 {
		return "", "", false
	}
	for _, dp := range dps {
		for _, gn := range dp.Name.FullName {
			if gn.Class != asn1.ClassContextSpecific || gn.Tag != tagDirectoryName {
				continue
			}
			attrs, err := parseName(gn.Bytes)
			if err != nil {
				continue
			}
			if p, m, ok := municipalityFromName(attrs); ok {
				return p, m, true
			}
		}
	}
	return "", "", false
}

// municipalityFromName accepts the J-LIS CRLDP name without insisting on the
// service OU, so it works for both certificate kinds and any generation: the
// anchors are "OU=CRL Distribution Points", the OU after it and a final CN
// ending in " CRLDP".
func municipalityFromName(attrs []attr) (prefecture, municipality string, ok bool) {
	n := len(attrs)
	if n < 3 || !attrs[0].typ.Equal(oidCountry) || attrs[0].value != "JP" {
		return "", "", false
	}
	cn, pref, marker := attrs[n-1], attrs[n-2], attrs[n-3]
	if !marker.typ.Equal(oidOrgUnit) || marker.value != ouCRLDP || !pref.typ.Equal(oidOrgUnit) || !cn.typ.Equal(oidCommon) {
		return "", "", false
	}
	m, found := strings.CutSuffix(cn.value, cnCRLDP)
	if !found || m == "" || pref.value == "" {
		return "", "", false
	}
	return pref.value, m, true
}

// SignCertHolder decodes the holder's attributes from a signature
// certificate: the otherName entries of its subjectAltName, and the
// municipality from its CRL distribution point. It is strict about the
// encoding ([0] EXPLICIT UTF8String) so that tests notice a wrong one.
func SignCertHolder(cert *x509.Certificate) (Holder, error) {
	san, found := extension(cert, oidExtSubjectAltName)
	if !found {
		return Holder{}, errors.New("testpki: certificate has no subjectAltName")
	}
	var names []asn1.RawValue
	if rest, err := asn1.Unmarshal(san, &names); err != nil || len(rest) != 0 {
		return Holder{}, fmt.Errorf("testpki: parsing subjectAltName: %w", errOrTrailing(err, rest))
	}
	var h Holder
	fields := map[string]*string{
		OIDName.String():                 &h.Name,
		OIDNameSubstituteMap.String():    &h.NameSubstituteMap,
		OIDSex.String():                  &h.Sex,
		OIDBirthDate.String():            &h.BirthDate,
		OIDAddress.String():              &h.Address,
		OIDAddressSubstituteMap.String(): &h.AddressSubstituteMap,
	}
	seen := make(map[string]bool)
	for _, gn := range names {
		if gn.Class != asn1.ClassContextSpecific || gn.Tag != tagOtherName {
			continue
		}
		typ, value, err := parseOtherName(gn.Bytes)
		if err != nil {
			return Holder{}, err
		}
		dst, known := fields[typ.String()]
		if !known {
			continue
		}
		if seen[typ.String()] {
			return Holder{}, fmt.Errorf("testpki: otherName %v appears twice", typ)
		}
		seen[typ.String()] = true
		*dst = value
	}
	for typ := range fields {
		if !seen[typ] {
			return Holder{}, fmt.Errorf("testpki: subjectAltName has no otherName %s", typ)
		}
	}
	var ok bool
	h.Prefecture, h.Municipality, ok = MunicipalityFromCRLDP(cert)
	if !ok {
		return Holder{}, errors.New("testpki: certificate has no JPKI CRL distribution point")
	}
	return h, nil
}

// parseOtherName decodes the contents of an otherName GeneralName.
func parseOtherName(b []byte) (asn1.ObjectIdentifier, string, error) {
	var typ asn1.ObjectIdentifier
	rest, err := asn1.Unmarshal(b, &typ)
	if err != nil {
		return nil, "", fmt.Errorf("testpki: parsing otherName type: %w", err)
	}
	var explicit asn1.RawValue
	rest, err = asn1.Unmarshal(rest, &explicit)
	if err != nil || len(rest) != 0 {
		return nil, "", fmt.Errorf("testpki: parsing otherName %v value: %w", typ, errOrTrailing(err, rest))
	}
	if explicit.Class != asn1.ClassContextSpecific || explicit.Tag != 0 || !explicit.IsCompound {
		return nil, "", fmt.Errorf("testpki: otherName %v: value is not [0] EXPLICIT", typ)
	}
	var str asn1.RawValue
	rest, err = asn1.Unmarshal(explicit.Bytes, &str)
	if err != nil || len(rest) != 0 {
		return nil, "", fmt.Errorf("testpki: parsing otherName %v value: %w", typ, errOrTrailing(err, rest))
	}
	if str.Class != asn1.ClassUniversal || str.Tag != asn1.TagUTF8String || !utf8.Valid(str.Bytes) {
		return nil, "", fmt.Errorf("testpki: otherName %v: value is not a UTF8String", typ)
	}
	return typ, string(str.Bytes), nil
}

func extension(cert *x509.Certificate, id asn1.ObjectIdentifier) ([]byte, bool) {
	for _, e := range cert.Extensions {
		if e.Id.Equal(id) {
			return e.Value, true
		}
	}
	return nil, false
}

func errOrTrailing(err error, rest []byte) error {
	if err != nil {
		return err
	}
	return fmt.Errorf("%d trailing bytes", len(rest))
}
