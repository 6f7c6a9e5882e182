package testpki

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"time"
)

// Kind says which of the two JPKI services a CA (and the certificates it
// issues) belongs to.
type Kind int

const (
	// AuthCA issues 利用者証明用 (user authentication) certificates.
	AuthCA Kind = iota + 1
	// SignCA issues 署名用 (digital signature) certificates.
	SignCA
)

func (k Kind) String() string {
	switch k {
	case AuthCA:
		return "AuthCA"
	case SignCA:
		return "SignCA"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// holderCert names the certificates a CA of this kind issues, for errors.
func (k Kind) holderCert() string {
	if k == SignCA {
		return "sign certificate"
	}
	return "auth certificate"
}

func (k Kind) orgUnit() string {
	if k == SignCA {
		return ouSign
	}
	return ouAuth
}

// KeyBits is the RSA modulus size of every key in the JPKI profile; the
// public exponent is always 65537 (what crypto/rsa generates).
const KeyBits = 2048

// CA is a self-signed test root with its key.
type CA struct {
	Kind Kind
	Cert *x509.Certificate
	DER  []byte
	Key  *rsa.PrivateKey
}

// NewCA makes a self-signed root named like a J-LIS root of the given kind,
// with a fresh RSA-2048 key. generation ends up in the name's last RDN,
// "OU=MynaConnect TEST CA <generation>" (e.g. "2026"); two CAs with the same
// kind and generation have the same name and different keys, which is how a
// test makes a convincing impostor.
func NewCA(kind Kind, generation string, notBefore, notAfter time.Time) (*CA, error) {
	if kind != AuthCA && kind != SignCA {
		return nil, fmt.Errorf("testpki: new CA: unknown kind %v", kind)
	}
	if !notBefore.Before(notAfter) {
		return nil, fmt.Errorf("testpki: new %v: notBefore %v is not before notAfter %v", kind, notBefore, notAfter)
	}
	key, err := rsa.GenerateKey(rand.Reader, KeyBits)
	if err != nil {
		return nil, fmt.Errorf("testpki: new %v: generating key: %w", kind, err)
	}
	name, err := marshalName(caName(kind, generation)...)
	if err != nil {
		return nil, fmt.Errorf("testpki: new %v: %w", kind, err)
	}
	serial, err := randomSerial()
	if err != nil {
		return nil, fmt.Errorf("testpki: new %v: %w", kind, err)
	}
	ski, err := subjectKeyID(&key.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("testpki: new %v: %w", kind, err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		RawSubject:            name,
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		SubjectKeyId:          ski,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("testpki: new %v: signing: %w", kind, err)
	}
	return newCA(kind, der, key)
}

// newCA wraps a CA certificate and key, checking that they belong together.
func newCA(kind Kind, der []byte, key *rsa.PrivateKey) (*CA, error) {
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("testpki: %v certificate: %w", kind, err)
	}
	if !cert.IsCA {
		return nil, fmt.Errorf("testpki: %v certificate is not a CA", kind)
	}
	if err := matchKey(cert, key); err != nil {
		return nil, fmt.Errorf("testpki: %v: %w", kind, err)
	}
	return &CA{Kind: kind, Cert: cert, DER: der, Key: key}, nil
}

// AuthCertOptions are the variable parts of a holder certificate.
type AuthCertOptions struct {
	NotBefore, NotAfter time.Time // required
	// Holder defaults to DefaultHolder() when zero. The authentication
	// certificate uses only its Prefecture and Municipality.
	Holder Holder
	// SerialNumber is random when nil.
	SerialNumber *big.Int
	// CommonName is the subject's opaque identifier; random when empty.
	CommonName string
}

// IssueAuth issues a 利用者証明用 certificate for pub, returned as DER. Its
// subject is only C=JP and an opaque CN: the profile carries no personal
// data besides the municipality in the CRL distribution point.
func (ca *CA) IssueAuth(pub *rsa.PublicKey, o AuthCertOptions) ([]byte, error) {
	if ca.Kind != AuthCA {
		return nil, fmt.Errorf("testpki: issue auth certificate: issuer is a %v, want AuthCA", ca.Kind)
	}
	if o.Holder == (Holder{}) {
		o.Holder = DefaultHolder()
	}
	if err := o.Holder.checkMunicipality(); err != nil {
		return nil, fmt.Errorf("testpki: issue auth certificate: %w", err)
	}
	return ca.issue(pub, o, profile{
		keyUsage: x509.KeyUsageDigitalSignature,
		extKey:   []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		policy:   OIDPolicyAuth,
		ocsp:     "http://ocspauthnorm.jpki.go.jp",
	})
}

// IssueSign issues a 署名用 certificate for pub, returned as DER. Unlike the
// authentication certificate it carries the holder's name, sex, birth date
// and address (subjectAltName otherNames), so o.Holder must be complete.
func (ca *CA) IssueSign(pub *rsa.PublicKey, o AuthCertOptions) ([]byte, error) {
	if ca.Kind != SignCA {
		return nil, fmt.Errorf("testpki: issue sign certificate: issuer is a %v, want SignCA", ca.Kind)
	}
	if o.Holder == (Holder{}) {
		o.Holder = DefaultHolder()
	}
	if err := o.Holder.checkSign(); err != nil {
		return nil, fmt.Errorf("testpki: issue sign certificate: %w", err)
	}
	san, err := holderSANExtension(o.Holder)
	if err != nil {
		return nil, fmt.Errorf("testpki: issue sign certificate: %w", err)
	}
	return ca.issue(pub, o, profile{
		keyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		policy:   OIDPolicySign,
		// Only the authentication OCSP URL is documented; this follows its
		// pattern so the two certificates have the same set of extensions.
		ocsp:     "http://ocspsignnorm.jpki.go.jp",
		locality: true,
		extra:    []pkix.Extension{san},
	})
}

// profile is what differs between the two holder certificate kinds.
type profile struct {
	keyUsage x509.KeyUsage
	extKey   []x509.ExtKeyUsage
	policy   asn1.ObjectIdentifier
	ocsp     string
	locality bool // subject names the municipality (signature certificate)
	extra    []pkix.Extension
}

func (ca *CA) issue(pub *rsa.PublicKey, o AuthCertOptions, p profile) ([]byte, error) {
	what := "issue " + ca.Kind.holderCert()
	if pub == nil {
		return nil, fmt.Errorf("testpki: %s: no public key", what)
	}
	if o.NotBefore.IsZero() || o.NotAfter.IsZero() || !o.NotBefore.Before(o.NotAfter) {
		return nil, fmt.Errorf("testpki: %s: need NotBefore before NotAfter (got %v, %v)", what, o.NotBefore, o.NotAfter)
	}
	serial := o.SerialNumber
	if serial == nil {
		var err error
		if serial, err = randomSerial(); err != nil {
			return nil, fmt.Errorf("testpki: %s: %w", what, err)
		}
	}
	cn := o.CommonName
	if cn == "" {
		var err error
		if cn, err = opaqueID(); err != nil {
			return nil, fmt.Errorf("testpki: %s: %w", what, err)
		}
	}
	subject := []attr{{oidCountry, "JP"}}
	if p.locality {
		subject = append(subject, attr{oidLocality, o.Holder.Prefecture}, attr{oidLocality, o.Holder.Municipality})
	}
	subject = append(subject, attr{oidCommon, cn})
	rawSubject, err := marshalName(subject...)
	if err != nil {
		return nil, fmt.Errorf("testpki: %s: %w", what, err)
	}
	ski, err := subjectKeyID(pub)
	if err != nil {
		return nil, fmt.Errorf("testpki: %s: %w", what, err)
	}
	policies, err := policiesExtension(p.policy)
	if err != nil {
		return nil, fmt.Errorf("testpki: %s: %w", what, err)
	}
	issuer, err := parseName(ca.Cert.RawSubject)
	if err != nil {
		return nil, fmt.Errorf("testpki: %s: issuer: %w", what, err)
	}
	ian, err := issuerAltNameExtension(issuer)
	if err != nil {
		return nil, fmt.Errorf("testpki: %s: %w", what, err)
	}
	crldp, err := crlDPExtension(ca.Kind, o.Holder)
	if err != nil {
		return nil, fmt.Errorf("testpki: %s: %w", what, err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		RawSubject:   rawSubject,
		NotBefore:    o.NotBefore,
		NotAfter:     o.NotAfter,
		KeyUsage:     p.keyUsage,
		ExtKeyUsage:  p.extKey,
		SubjectKeyId: ski,
		OCSPServer:   []string{p.ocsp},
		// Order matters only for looks; this is the order openssl prints.
		ExtraExtensions: append([]pkix.Extension{policies, ian, crldp}, p.extra...),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, pub, ca.Key)
	if err != nil {
		return nil, fmt.Errorf("testpki: %s: signing: %w", what, err)
	}
	return der, nil
}

// subjectKeyID is RFC 5280's method 1: SHA-1 of the subjectPublicKey bits.
// Set explicitly because crypto/x509's own choice has changed between Go
// versions, and the AKI of issued certificates copies it.
func subjectKeyID(pub *rsa.PublicKey) ([]byte, error) {
	spki, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("subject key id: %w", err)
	}
	var info struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(spki, &info); err != nil {
		return nil, fmt.Errorf("subject key id: %w", err)
	}
	sum := sha1.Sum(info.PublicKey.Bytes)
	return sum[:], nil
}

// randomSerial is a positive 64-bit serial number.
func randomSerial() (*big.Int, error) {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 63))
	if err != nil {
		return nil, fmt.Errorf("serial number: %w", err)
	}
	return n.Add(n, big.NewInt(1)), nil
}

// opaqueID is a random subject CN shaped like the real ones: uppercase
// letters and digits, long enough to mean nothing.
func opaqueID() (string, error) {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	b := make([]byte, 23) // the length of a real card's CN
	for i := range b {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			return "", fmt.Errorf("opaque id: %w", err)
		}
		b[i] = alphabet[n.Int64()]
	}
	return string(b), nil
}

// matchKey reports whether key is the private half of cert's public key.
func matchKey(cert *x509.Certificate, key *rsa.PrivateKey) error {
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return fmt.Errorf("certificate key is %T, want RSA", cert.PublicKey)
	}
	if key == nil {
		return errors.New("no private key")
	}
	if !pub.Equal(&key.PublicKey) {
		return errors.New("private key does not match the certificate")
	}
	return nil
}
