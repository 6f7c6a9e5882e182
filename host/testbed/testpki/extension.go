package testpki

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
)

// Certificate extensions crypto/x509 cannot produce in the JPKI shape. They
// are built here with encoding/asn1 and passed as ExtraExtensions.

var (
	oidExtSubjectAltName = asn1.ObjectIdentifier{2, 5, 29, 17}
	oidExtIssuerAltName  = asn1.ObjectIdentifier{2, 5, 29, 18}
	oidExtCRLDP          = asn1.ObjectIdentifier{2, 5, 29, 31}
	oidExtCertPolicies   = asn1.ObjectIdentifier{2, 5, 29, 32}
	oidQualifierCPS      = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 2, 1}
)

// JPKI object identifiers (jpki-card.md, "Certificates").
var (
	// OIDPolicyAuth is the certificate policy of the user authentication
	// certificate; a login verifier checks for it.
	OIDPolicyAuth = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 1, 3, 30}
	// OIDPolicySign is the certificate policy of the signature certificate.
	OIDPolicySign = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 1, 1, 10}

	// The otherName types in the signature certificate's subjectAltName.
	OIDName                 = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 5, 1}
	OIDNameSubstituteMap    = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 5, 2}
	OIDSex                  = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 5, 3}
	OIDBirthDate            = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 5, 4}
	OIDAddress              = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 5, 5}
	OIDAddressSubstituteMap = asn1.ObjectIdentifier{1, 2, 392, 200149, 8, 5, 5, 6}
)

// CPSURI is the policy qualifier of the test certificates. Real ones point at
// J-LIS's practice statement; the test PKI's "practice statement" is the
// README of testdata/pki, and .invalid makes sure nothing ever fetches it.
const CPSURI = "https://mynaconnect.invalid/testdata/pki/README.md"

// GeneralName tags (RFC 5280 4.2.1.6), context-specific.
const (
	tagOtherName     = 0
	tagDirectoryName = 4
)

// directoryName wraps a DER name as a GeneralName. Name is a CHOICE, so the
// [4] tag is explicit: it encloses the whole SEQUENCE.
func directoryName(attrs []attr) (asn1.RawValue, error) {
	der, err := marshalName(attrs...)
	if err != nil {
		return asn1.RawValue{}, err
	}
	return asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: tagDirectoryName, IsCompound: true, Bytes: der}, nil
}

// generalNames encodes a GeneralNames SEQUENCE from already tagged entries.
func generalNames(names ...asn1.RawValue) ([]byte, error) {
	der, err := asn1.Marshal(names)
	if err != nil {
		return nil, fmt.Errorf("testpki: encoding GeneralNames: %w", err)
	}
	return der, nil
}

// The CRLDistributionPoints structures (RFC 5280 4.2.1.13). DistributionPoint
// names are a CHOICE, so [0] around it acts as an explicit tag; fullName is
// an IMPLICIT [0] GeneralNames, which the slice with tag:0 encodes.
type distributionPoint struct {
	Name      distributionPointName `asn1:"optional,tag:0"`
	Reasons   asn1.BitString        `asn1:"optional,tag:1"`
	CRLIssuer asn1.RawValue         `asn1:"optional,tag:2"`
}

type distributionPointName struct {
	FullName     []asn1.RawValue  `asn1:"optional,tag:0"`
	RelativeName pkix.RDNSequence `asn1:"optional,tag:1"`
}

// crlDPExtension names the municipality's CRL as a directory name, which
// crypto/x509 cannot write (its CRLDistributionPoints field is URIs only).
func crlDPExtension(kind Kind, h Holder) (pkix.Extension, error) {
	dn, err := directoryName(crlDPName(kind, h))
	if err != nil {
		return pkix.Extension{}, err
	}
	der, err := asn1.Marshal([]distributionPoint{{Name: distributionPointName{FullName: []asn1.RawValue{dn}}}})
	if err != nil {
		return pkix.Extension{}, fmt.Errorf("testpki: encoding CRL distribution points: %w", err)
	}
	return pkix.Extension{Id: oidExtCRLDP, Value: der}, nil
}

func issuerAltNameExtension(issuer []attr) (pkix.Extension, error) {
	dn, err := directoryName(issuerAltName(issuer))
	if err != nil {
		return pkix.Extension{}, err
	}
	der, err := generalNames(dn)
	if err != nil {
		return pkix.Extension{}, err
	}
	return pkix.Extension{Id: oidExtIssuerAltName, Value: der}, nil
}

type policyInformation struct {
	Policy     asn1.ObjectIdentifier
	Qualifiers []policyQualifierInfo `asn1:"optional"`
}

type policyQualifierInfo struct {
	ID        asn1.ObjectIdentifier
	Qualifier string `asn1:"ia5"`
}

// policiesExtension is built by hand because x509.Certificate.Policies has
// no place for the CPS qualifier real certificates carry. crypto/x509 still
// parses it into Policies (and PolicyIdentifiers) on the way back.
func policiesExtension(policy asn1.ObjectIdentifier) (pkix.Extension, error) {
	der, err := asn1.Marshal([]policyInformation{{
		Policy:     policy,
		Qualifiers: []policyQualifierInfo{{ID: oidQualifierCPS, Qualifier: CPSURI}},
	}})
	if err != nil {
		return pkix.Extension{}, fmt.Errorf("testpki: encoding certificate policies: %w", err)
	}
	return pkix.Extension{Id: oidExtCertPolicies, Value: der}, nil
}

// otherName encodes `[0] IMPLICIT SEQUENCE { type-id, [0] EXPLICIT
// UTF8String }`. encoding/asn1 drops explicit tags on RawValue fields, so
// each layer is a RawValue of its own, wrapped from the inside out.
func otherName(typ asn1.ObjectIdentifier, value string) (asn1.RawValue, error) {
	oid, err := asn1.Marshal(typ)
	if err != nil {
		return asn1.RawValue{}, fmt.Errorf("testpki: encoding otherName %v: %w", typ, err)
	}
	str, err := asn1.MarshalWithParams(value, "utf8")
	if err != nil {
		return asn1.RawValue{}, fmt.Errorf("testpki: encoding otherName %v: %w", typ, err)
	}
	explicit, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: str})
	if err != nil {
		return asn1.RawValue{}, fmt.Errorf("testpki: encoding otherName %v: %w", typ, err)
	}
	return asn1.RawValue{
		Class:      asn1.ClassContextSpecific,
		Tag:        tagOtherName,
		IsCompound: true,
		Bytes:      append(oid, explicit...),
	}, nil
}

// holderSANExtension puts the holder's four attributes (and the substitute
// maps) into the signature certificate, in the order of their OIDs.
func holderSANExtension(h Holder) (pkix.Extension, error) {
	fields := []struct {
		typ   asn1.ObjectIdentifier
		value string
	}{
		{OIDName, h.Name},
		{OIDNameSubstituteMap, h.NameSubstituteMap},
		{OIDSex, h.Sex},
		{OIDBirthDate, h.BirthDate},
		{OIDAddress, h.Address},
		{OIDAddressSubstituteMap, h.AddressSubstituteMap},
	}
	names := make([]asn1.RawValue, 0, len(fields))
	for _, f := range fields {
		n, err := otherName(f.typ, f.value)
		if err != nil {
			return pkix.Extension{}, err
		}
		names = append(names, n)
	}
	der, err := generalNames(names...)
	if err != nil {
		return pkix.Extension{}, err
	}
	return pkix.Extension{Id: oidExtSubjectAltName, Value: der}, nil
}
