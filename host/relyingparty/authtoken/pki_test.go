package authtoken_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/relyingparty/authtoken"
	"github.com/mynaconnect/mynaconnect/host/testbed/testpki"
)

// The tests run on testpki's committed J-LIS-shaped set: its authentication
// certificate is valid from 2026-04-01 to 2031-03-31 (JST).
const (
	testOrigin  = "https://login.example.jp"
	testVersion = authtoken.AppVersionPrefix + "v0.0.0-test"
)

var testNow = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)

func defaultPKI(tb testing.TB) *testpki.PKI {
	tb.Helper()
	p, err := testpki.Default()
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// foreignCA is a root with the very name of the test auth CA and another key:
// a convincing impostor.
var foreignCA = sync.OnceValues(func() (*testpki.CA, error) {
	from := time.Date(2023, 4, 1, 0, 0, 0, 0, time.UTC)
	return testpki.NewCA(testpki.AuthCA, "2026", from, from.AddDate(20, 0, 0))
})

// certOptions are the parts of a hand-made certificate a test changes; the
// zero value is a correct JPKI authentication certificate for the default
// key, issued by the default auth CA.
type certOptions struct {
	pub         crypto.PublicKey
	keyUsage    x509.KeyUsage
	extKeyUsage []x509.ExtKeyUsage
	policies    []x509.OID
	critical    bool // add an unknown critical extension
}

// issue makes a certificate the testpki profile cannot: a wrong key usage,
// another policy, another kind of key.
func issue(tb testing.TB, o certOptions) []byte {
	tb.Helper()
	p := defaultPKI(tb)
	if o.pub == nil {
		o.pub = &p.AuthKey.PublicKey
	}
	if o.keyUsage == 0 {
		o.keyUsage = x509.KeyUsageDigitalSignature
	}
	if o.extKeyUsage == nil {
		o.extKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	}
	if o.policies == nil {
		oid, err := x509.ParseOID(authtoken.PolicyJPKIAuth)
		if err != nil {
			tb.Fatal(err)
		}
		o.policies = []x509.OID{oid}
	}
	name, err := asn1.Marshal(pkix.RDNSequence{
		{{Type: asn1.ObjectIdentifier{2, 5, 4, 6}, Value: "JP"}},
		{{Type: asn1.ObjectIdentifier{2, 5, 4, 3}, Value: "HANDMADE0TEST0CERTIFICATE"}},
	})
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(42),
		RawSubject:   name,
		NotBefore:    time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2031, 3, 31, 0, 0, 0, 0, time.UTC),
		KeyUsage:     o.keyUsage,
		ExtKeyUsage:  o.extKeyUsage,
		Policies:     o.policies,
	}
	if o.critical {
		tmpl.ExtraExtensions = []pkix.Extension{{Id: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 99999, 1}, Critical: true, Value: []byte{5, 0}}}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.AuthCA.Cert, o.pub, p.AuthCA.Key)
	if err != nil {
		tb.Fatal(err)
	}
	return der
}

var (
	smallKey = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 1024) })
	ecKey    = sync.OnceValues(func() (*ecdsa.PrivateKey, error) { return ecdsa.GenerateKey(elliptic.P256(), rand.Reader) })
)

// signToken makes a token without Create's checks, so that tests can build
// the tokens Create refuses to make.
func signToken(tb testing.TB, origin, nonce string, certDER []byte, key crypto.Signer) []byte {
	tb.Helper()
	digest := sha256.Sum256(authtoken.SignedData(origin, nonce))
	sig, err := key.Sign(rand.Reader, digest[:], crypto.SHA256)
	if err != nil {
		tb.Fatal(err)
	}
	return marshal(tb, &authtoken.Token{
		UnverifiedCertificate: certDER,
		Algorithm:             authtoken.AlgorithmRS256,
		Signature:             sig,
		Format:                authtoken.Format,
		AppVersion:            testVersion,
	})
}

func marshal(tb testing.TB, t *authtoken.Token) []byte {
	tb.Helper()
	b, err := t.Marshal()
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// clock is a settable time source shared by a Verifier and its store.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

func (c *clock) Advance(d time.Duration) { c.Set(c.Now().Add(d)) }
