package authtoken_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mynaconnect/mynaconnect/host/relyingparty/authtoken"
	"github.com/mynaconnect/mynaconnect/host/testbed/testpki"
)

// allErrors are the sentinels a failed Verify may match; each test case
// must match its own and none of the others.
var allErrors = []error{
	authtoken.ErrBadOrigin,
	authtoken.ErrBadNonce,
	authtoken.ErrTokenTooLarge,
	authtoken.ErrMalformedToken,
	authtoken.ErrUnsupportedFormat,
	authtoken.ErrUnsupportedAlgorithm,
	authtoken.ErrBadCertificate,
	authtoken.ErrUnsupportedKey,
	authtoken.ErrKeyUsage,
	authtoken.ErrCertificatePolicy,
	authtoken.ErrCertificateExpired,
	authtoken.ErrCertificateNotYetValid,
	authtoken.ErrUntrustedCertificate,
	authtoken.ErrRevoked,
	authtoken.ErrNoSession,
	authtoken.ErrUnknownNonce,
	authtoken.ErrNonceExpired,
	authtoken.ErrBadSignature,
}

// checkOnly fails unless err matches want and no other sentinel.
func checkOnly(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("error = %v, want %v", err, want)
	}
	for _, other := range allErrors {
		if other != want && errors.Is(err, other) {
			t.Errorf("error %v also matches %v", err, other)
		}
	}
}

// env is one relying party: a Verifier with its own store and clock.
type env struct {
	pki      *testpki.PKI
	clock    *clock
	store    *authtoken.MemoryNonceStore
	verifier *authtoken.Verifier
	revoked  error // returned by the revocation hook
}

func newEnv(t testing.TB) *env {
	t.Helper()
	e := &env{pki: defaultPKI(t), clock: &clock{now: testNow}}
	e.store = authtoken.NewMemoryNonceStore(0, 0)
	e.store.Now = e.clock.Now
	v, err := authtoken.NewVerifier(authtoken.Config{
		Origin:       testOrigin,
		TrustAnchors: []*x509.Certificate{e.pki.AuthCA.Cert},
		Nonces:       e.store,
		Now:          e.clock.Now,
		CheckRevocation: func(_ context.Context, cert, issuer *x509.Certificate) error {
			if issuer != e.pki.AuthCA.Cert {
				return fmt.Errorf("hook called with issuer %s", issuer.Subject)
			}
			return e.revoked
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	e.verifier = v
	return e
}

func (e *env) issue(t testing.TB, session string) string {
	t.Helper()
	nonce, err := e.store.Issue(context.Background(), session)
	if err != nil {
		t.Fatal(err)
	}
	return nonce
}

// login is what the host does for the page of origin: the committed card
// signs the session's challenge.
func (e *env) login(t testing.TB, origin, nonce string) []byte {
	t.Helper()
	tok, err := create(origin, nonce, e.pki.AuthCert, e.pki.AuthKey, testVersion)
	if err != nil {
		t.Fatal(err)
	}
	return marshal(t, tok)
}

// edit changes a correct token for session "s" before it is marshalled.
func (e *env) edit(t *testing.T, f func(*authtoken.Token)) []byte {
	t.Helper()
	tok, err := authtoken.ParseToken(e.login(t, testOrigin, e.issue(t, "s")))
	if err != nil {
		t.Fatal(err)
	}
	f(tok)
	return marshal(t, tok)
}

func TestVerify(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		// token prepares the environment and returns the token to verify
		// for session "s".
		token func(t *testing.T, e *env) []byte
		want  error
	}{
		{
			name:  "token verifies",
			token: func(t *testing.T, e *env) []byte { return e.login(t, testOrigin, e.issue(t, "s")) },
		},
		{
			name: "replayed nonce",
			token: func(t *testing.T, e *env) []byte {
				b := e.login(t, testOrigin, e.issue(t, "s"))
				if _, err := e.verifier.Verify(ctx, b, "s"); err != nil {
					t.Fatalf("first use: %v", err)
				}
				return b
			},
			want: authtoken.ErrUnknownNonce,
		},
		{
			name:  "nonce of another session",
			token: func(t *testing.T, e *env) []byte { return e.login(t, testOrigin, e.issue(t, "other")) },
			want:  authtoken.ErrUnknownNonce,
		},
		{
			// The token does not say which nonce it signed: against this
			// session's own challenge it is simply a wrong signature.
			name: "nonce of another session while this one has its own",
			token: func(t *testing.T, e *env) []byte {
				e.issue(t, "s")
				return e.login(t, testOrigin, e.issue(t, "other"))
			},
			want: authtoken.ErrBadSignature,
		},
		{
			name:  "no session ever asked",
			token: func(t *testing.T, e *env) []byte { return e.login(t, testOrigin, validNonce) },
			want:  authtoken.ErrUnknownNonce,
		},
		{
			name: "expired nonce",
			token: func(t *testing.T, e *env) []byte {
				b := e.login(t, testOrigin, e.issue(t, "s"))
				e.clock.Advance(authtoken.DefaultNonceTTL)
				return b
			},
			want: authtoken.ErrNonceExpired,
		},
		{
			name: "wrong origin",
			token: func(t *testing.T, e *env) []byte {
				return e.login(t, "https://login.example.jp.evil.example", e.issue(t, "s"))
			},
			want: authtoken.ErrBadSignature,
		},
		{
			name:  "same host, other port",
			token: func(t *testing.T, e *env) []byte { return e.login(t, testOrigin+":8443", e.issue(t, "s")) },
			want:  authtoken.ErrBadSignature,
		},
		{
			name: "expired certificate",
			token: func(t *testing.T, e *env) []byte {
				b := e.login(t, testOrigin, e.issue(t, "s"))
				e.clock.Set(time.Date(2031, 3, 31, 15, 0, 0, 0, time.UTC)) // one second after NotAfter
				return b
			},
			want: authtoken.ErrCertificateExpired,
		},
		{
			name: "certificate not yet valid",
			token: func(t *testing.T, e *env) []byte {
				e.clock.Set(time.Date(2026, 3, 31, 14, 59, 59, 0, time.UTC)) // one second before NotBefore
				return e.login(t, testOrigin, e.issue(t, "s"))
			},
			want: authtoken.ErrCertificateNotYetValid,
		},
		{
			name: "certificate from a foreign CA with the same name",
			token: func(t *testing.T, e *env) []byte {
				ca, err := foreignCA()
				if err != nil {
					t.Fatal(err)
				}
				der, err := ca.IssueAuth(&e.pki.AuthKey.PublicKey, testpki.AuthCertOptions{
					NotBefore: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC),
					NotAfter:  time.Date(2031, 3, 31, 0, 0, 0, 0, time.UTC),
					Holder:    testpki.DefaultHolder(),
				})
				if err != nil {
					t.Fatal(err)
				}
				return signToken(t, testOrigin, e.issue(t, "s"), der, e.pki.AuthKey)
			},
			want: authtoken.ErrUntrustedCertificate,
		},
		{
			name: "tampered signature",
			token: func(t *testing.T, e *env) []byte {
				return e.edit(t, func(tok *authtoken.Token) { tok.Signature[100] ^= 1 })
			},
			want: authtoken.ErrBadSignature,
		},
		{
			name: "truncated signature",
			token: func(t *testing.T, e *env) []byte {
				return e.edit(t, func(tok *authtoken.Token) { tok.Signature = tok.Signature[:255] })
			},
			want: authtoken.ErrBadSignature,
		},
		{
			name: "signed by another key than the certificate's",
			token: func(t *testing.T, e *env) []byte {
				return signToken(t, testOrigin, e.issue(t, "s"), e.pki.AuthCert, e.pki.SignKey)
			},
			want: authtoken.ErrBadSignature,
		},
		{
			name: "truncated token",
			token: func(t *testing.T, e *env) []byte {
				b := e.login(t, testOrigin, e.issue(t, "s"))
				return b[:len(b)/2]
			},
			want: authtoken.ErrMalformedToken,
		},
		{
			name: "oversize token",
			token: func(t *testing.T, e *env) []byte {
				b := e.login(t, testOrigin, e.issue(t, "s"))
				return append(b, bytes.Repeat([]byte(" "), authtoken.MaxTokenSize+1-len(b))...)
			},
			want: authtoken.ErrTokenTooLarge,
		},
		{
			name: "unknown field",
			token: func(t *testing.T, e *env) []byte {
				b := e.login(t, testOrigin, e.issue(t, "s"))
				return append([]byte(`{"unverifiedSigningCertificates":[],`), b[1:]...)
			},
			want: authtoken.ErrMalformedToken,
		},
		{
			name: "duplicate field",
			token: func(t *testing.T, e *env) []byte {
				b := e.login(t, testOrigin, e.issue(t, "s"))
				return append([]byte(`{"algorithm":"RS256",`), b[1:]...)
			},
			want: authtoken.ErrMalformedToken,
		},
		{
			name: "bad format",
			token: func(t *testing.T, e *env) []byte {
				b := e.login(t, testOrigin, e.issue(t, "s"))
				return bytes.Replace(b, []byte(`"web-eid:1.0"`), []byte(`"web-eid:2.0"`), 1)
			},
			want: authtoken.ErrUnsupportedFormat,
		},
		{
			name: "bad algorithm",
			token: func(t *testing.T, e *env) []byte {
				b := e.login(t, testOrigin, e.issue(t, "s"))
				return bytes.Replace(b, []byte(`"RS256"`), []byte(`"PS256"`), 1)
			},
			want: authtoken.ErrUnsupportedAlgorithm,
		},
		{
			name: "certificate does not parse",
			token: func(t *testing.T, e *env) []byte {
				return e.edit(t, func(tok *authtoken.Token) { tok.UnverifiedCertificate = tok.UnverifiedCertificate[:500] })
			},
			want: authtoken.ErrBadCertificate,
		},
		{
			name: "unknown critical extension",
			token: func(t *testing.T, e *env) []byte {
				return signToken(t, testOrigin, e.issue(t, "s"), issue(t, certOptions{critical: true}), e.pki.AuthKey)
			},
			want: authtoken.ErrBadCertificate,
		},
		{
			name: "RSA key under 2048 bits",
			token: func(t *testing.T, e *env) []byte {
				key, err := smallKey()
				if err != nil {
					t.Fatal(err)
				}
				return signToken(t, testOrigin, e.issue(t, "s"), issue(t, certOptions{pub: &key.PublicKey}), key)
			},
			want: authtoken.ErrUnsupportedKey,
		},
		{
			name: "ECDSA key",
			token: func(t *testing.T, e *env) []byte {
				key, err := ecKey()
				if err != nil {
					t.Fatal(err)
				}
				return signToken(t, testOrigin, e.issue(t, "s"), issue(t, certOptions{pub: &key.PublicKey}), e.pki.AuthKey)
			},
			want: authtoken.ErrUnsupportedKey,
		},
		{
			name: "wrong key usage",
			token: func(t *testing.T, e *env) []byte {
				der := issue(t, certOptions{keyUsage: x509.KeyUsageKeyEncipherment})
				return signToken(t, testOrigin, e.issue(t, "s"), der, e.pki.AuthKey)
			},
			want: authtoken.ErrKeyUsage,
		},
		{
			name: "extended key usage without clientAuth",
			token: func(t *testing.T, e *env) []byte {
				der := issue(t, certOptions{extKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
				return signToken(t, testOrigin, e.issue(t, "s"), der, e.pki.AuthKey)
			},
			want: authtoken.ErrKeyUsage,
		},
		{
			name: "wrong policy",
			token: func(t *testing.T, e *env) []byte {
				other, err := x509.ParseOID("1.2.392.200149.8.5.1.3.99")
				if err != nil {
					t.Fatal(err)
				}
				der := issue(t, certOptions{policies: []x509.OID{other}})
				return signToken(t, testOrigin, e.issue(t, "s"), der, e.pki.AuthKey)
			},
			want: authtoken.ErrCertificatePolicy,
		},
		{
			// A card's other certificate, which names the holder: it must
			// never be accepted for login.
			name: "signature certificate instead of the authentication certificate",
			token: func(t *testing.T, e *env) []byte {
				return signToken(t, testOrigin, e.issue(t, "s"), e.pki.SignCert, e.pki.SignKey)
			},
			want: authtoken.ErrCertificatePolicy,
		},
		{
			name: "revoked",
			token: func(t *testing.T, e *env) []byte {
				e.revoked = errRevokedByTest
				return e.login(t, testOrigin, e.issue(t, "s"))
			},
			want: authtoken.ErrRevoked,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			res, err := e.verifier.Verify(ctx, tt.token(t, e), "s")
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				checkResult(t, e, res)
				return
			}
			if res != nil {
				t.Errorf("Verify returned a result with error %v", err)
			}
			checkOnly(t, err, tt.want)
			if tt.want == authtoken.ErrRevoked && !errors.Is(err, errRevokedByTest) {
				t.Errorf("error %v does not wrap the hook's error", err)
			}
		})
	}
}

var errRevokedByTest = errors.New("serial number on the test CRL")

func checkResult(t *testing.T, e *env, res *authtoken.Result) {
	t.Helper()
	if res.Prefecture != "Hokkaido" || res.Municipality != "Sapporo-shi-Minami-ku" {
		t.Errorf("municipality = %q, %q; want Hokkaido, Sapporo-shi-Minami-ku", res.Prefecture, res.Municipality)
	}
	if !bytes.Equal(res.Certificate.Raw, e.pki.AuthCert) {
		t.Error("Result.Certificate is not the token's certificate")
	}
	if len(res.Subject) != 43 || strings.ContainsAny(res.Subject, "+/=") {
		t.Errorf("Subject = %q, want 43 characters of unpadded base64url", res.Subject)
	}
	// The documented formula, computed here on its own.
	h := sha256.New()
	h.Write([]byte("mynaconnect-subject-v1\x00" + testOrigin + "\x00"))
	h.Write(e.pki.AuthCertificate().RawSubjectPublicKeyInfo)
	if want := base64.RawURLEncoding.EncodeToString(h.Sum(nil)); res.Subject != want {
		t.Errorf("Subject = %q, want %q", res.Subject, want)
	}
	serial := res.Certificate.SerialNumber
	for _, leak := range []string{serial.String(), serial.Text(16), res.Certificate.Subject.CommonName} {
		if strings.Contains(res.Subject, leak) {
			t.Errorf("Subject %q contains %q from the certificate", res.Subject, leak)
		}
	}
}

func TestVerifySubjectIsStablePerSiteAndKey(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	first, err := e.verifier.Verify(ctx, e.login(t, testOrigin, e.issue(t, "s")), "s")
	if err != nil {
		t.Fatal(err)
	}
	again, err := e.verifier.Verify(ctx, e.login(t, testOrigin, e.issue(t, "s2")), "s2")
	if err != nil {
		t.Fatal(err)
	}
	if first.Subject != again.Subject {
		t.Errorf("Subject changed between logins: %q, %q", first.Subject, again.Subject)
	}

	// Another site sees another identifier for the same card.
	other := "https://shop.example.jp"
	store := authtoken.NewMemoryNonceStore(0, 0)
	v, err := authtoken.NewVerifier(authtoken.Config{
		Origin:       other,
		TrustAnchors: []*x509.Certificate{e.pki.AuthCA.Cert},
		Nonces:       store,
		Now:          func() time.Time { return testNow },
	})
	if err != nil {
		t.Fatal(err)
	}
	nonce, err := store.Issue(ctx, "s")
	if err != nil {
		t.Fatal(err)
	}
	there, err := v.Verify(ctx, e.login(t, other, nonce), "s")
	if err != nil {
		t.Fatal(err)
	}
	if there.Subject == first.Subject {
		t.Errorf("two sites got the same Subject %q", first.Subject)
	}
}

// A failed attempt uses the challenge up, so a correct token for the same
// challenge no longer verifies: an attacker cannot probe a challenge, and a
// page must ask for a new one.
func TestVerifyFailedAttemptBurnsChallenge(t *testing.T) {
	ctx := context.Background()
	for _, bad := range []struct {
		name  string
		token func(e *env, nonce string) []byte
	}{
		{"malformed", func(*env, string) []byte { return []byte("{") }},
		{"oversize", func(*env, string) []byte { return make([]byte, authtoken.MaxTokenSize+1) }},
		{"wrong origin", func(e *env, nonce string) []byte { return e.login(t, "https://evil.example", nonce) }},
	} {
		t.Run(bad.name, func(t *testing.T) {
			e := newEnv(t)
			nonce := e.issue(t, "s")
			if _, err := e.verifier.Verify(ctx, bad.token(e, nonce), "s"); err == nil {
				t.Fatal("bad token verified")
			}
			_, err := e.verifier.Verify(ctx, e.login(t, testOrigin, nonce), "s")
			checkOnly(t, err, authtoken.ErrUnknownNonce)
		})
	}
}

func TestVerifyEmptySession(t *testing.T) {
	e := newEnv(t)
	_, err := e.verifier.Verify(context.Background(), e.login(t, testOrigin, e.issue(t, "s")), "")
	checkOnly(t, err, authtoken.ErrNoSession)
}

func TestVerifyZeroVerifier(t *testing.T) {
	var v authtoken.Verifier
	if _, err := v.Verify(context.Background(), nil, "s"); err == nil {
		t.Fatal("zero Verifier verified a token")
	}
}

// errStore is a NonceStore whose backend is down.
type errStore struct{ err error }

func (s errStore) Issue(context.Context, string) (string, error) { return "", s.err }
func (s errStore) Take(context.Context, string) (string, error)  { return "", s.err }

func TestVerifyStoreFailure(t *testing.T) {
	e := newEnv(t)
	down := errors.New("nonce database unreachable")
	v, err := authtoken.NewVerifier(authtoken.Config{
		Origin:       testOrigin,
		TrustAnchors: []*x509.Certificate{e.pki.AuthCA.Cert},
		Nonces:       errStore{down},
		Now:          e.clock.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = v.Verify(context.Background(), e.login(t, testOrigin, validNonce), "s")
	if !errors.Is(err, down) {
		t.Fatalf("error = %v, want the store's error", err)
	}
	for _, other := range allErrors {
		if errors.Is(err, other) {
			t.Errorf("store failure %v matches %v", err, other)
		}
	}
}

func TestVerifyWithoutRevocationHook(t *testing.T) {
	e := newEnv(t)
	v, err := authtoken.NewVerifier(authtoken.Config{
		Origin:       testOrigin,
		TrustAnchors: []*x509.Certificate{e.pki.AuthCA.Cert},
		Nonces:       e.store,
		Now:          e.clock.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(context.Background(), e.login(t, testOrigin, e.issue(t, "s")), "s"); err != nil {
		t.Fatal(err)
	}
}

// A relying party configures every J-LIS generation still issuing; a
// certificate from any of them verifies.
func TestVerifySeveralTrustAnchors(t *testing.T) {
	e := newEnv(t)
	ca, err := foreignCA()
	if err != nil {
		t.Fatal(err)
	}
	v, err := authtoken.NewVerifier(authtoken.Config{
		Origin:       testOrigin,
		TrustAnchors: []*x509.Certificate{ca.Cert, e.pki.AuthCA.Cert},
		Nonces:       e.store,
		Now:          e.clock.Now,
		Policies:     []string{"1.2.3.4", authtoken.PolicyJPKIAuth},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(context.Background(), e.login(t, testOrigin, e.issue(t, "s")), "s"); err != nil {
		t.Fatal(err)
	}
}

func TestNewVerifierRejectsMisconfiguration(t *testing.T) {
	p := defaultPKI(t)
	store := authtoken.NewMemoryNonceStore(0, 0)
	good := authtoken.Config{
		Origin:       testOrigin,
		TrustAnchors: []*x509.Certificate{p.AuthCA.Cert},
		Nonces:       store,
	}
	if _, err := authtoken.NewVerifier(good); err != nil {
		t.Fatalf("good config: %v", err)
	}
	tests := []struct {
		name   string
		modify func(*authtoken.Config)
	}{
		{"no origin", func(c *authtoken.Config) { c.Origin = "" }},
		{"origin with a path", func(c *authtoken.Config) { c.Origin = testOrigin + "/" }},
		{"plain http", func(c *authtoken.Config) { c.Origin = "http://login.example.jp" }},
		{"no trust anchors", func(c *authtoken.Config) { c.TrustAnchors = nil }},
		{"nil trust anchor", func(c *authtoken.Config) { c.TrustAnchors = []*x509.Certificate{nil} }},
		{"leaf as trust anchor", func(c *authtoken.Config) { c.TrustAnchors = []*x509.Certificate{p.AuthCertificate()} }},
		{"no nonce store", func(c *authtoken.Config) { c.Nonces = nil }},
		{"bad policy OID", func(c *authtoken.Config) { c.Policies = []string{"not.an.oid"} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good
			tt.modify(&c)
			if v, err := authtoken.NewVerifier(c); err == nil {
				t.Fatalf("NewVerifier accepted the config (origin %q)", v.Origin())
			}
		})
	}
}

func TestIssuingMunicipality(t *testing.T) {
	p := defaultPKI(t)
	for _, c := range []struct {
		name string
		cert *x509.Certificate
		pref string
		muni string
	}{
		{"auth certificate", p.AuthCertificate(), "Hokkaido", "Sapporo-shi-Minami-ku"},
		{"sign certificate", p.SignCertificate(), "Hokkaido", "Sapporo-shi-Minami-ku"},
		{"CA certificate", p.AuthCA.Cert, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			pref, muni := authtoken.IssuingMunicipality(c.cert)
			if pref != c.pref || muni != c.muni {
				t.Errorf("IssuingMunicipality = %q, %q; want %q, %q", pref, muni, c.pref, c.muni)
			}
		})
	}
}

// The parser must agree with testpki's reference reader on other holders.
func TestIssuingMunicipalityAgreesWithTestPKI(t *testing.T) {
	p := defaultPKI(t)
	for _, h := range []testpki.Holder{
		{Prefecture: "Tokyo-to", Municipality: "Chiyoda-ku"},
		{Prefecture: "Okinawa-ken", Municipality: "Naha-shi"},
	} {
		der, err := p.AuthCA.IssueAuth(&p.AuthKey.PublicKey, testpki.AuthCertOptions{
			NotBefore: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC),
			NotAfter:  time.Date(2031, 3, 31, 0, 0, 0, 0, time.UTC),
			Holder:    h,
		})
		if err != nil {
			t.Fatal(err)
		}
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			t.Fatal(err)
		}
		wantPref, wantMuni, ok := testpki.MunicipalityFromCRLDP(cert)
		if !ok || wantPref != h.Prefecture || wantMuni != h.Municipality {
			t.Fatalf("testpki reads %q, %q, %v", wantPref, wantMuni, ok)
		}
		if pref, muni := authtoken.IssuingMunicipality(cert); pref != wantPref || muni != wantMuni {
			t.Errorf("IssuingMunicipality = %q, %q; want %q, %q", pref, muni, wantPref, wantMuni)
		}
	}
}

// fixedStore hands out the same challenge forever, so that a benchmark
// measures Verify alone.
type fixedStore struct{ nonce string }

func (s fixedStore) Issue(context.Context, string) (string, error) { return s.nonce, nil }
func (s fixedStore) Take(context.Context, string) (string, error)  { return s.nonce, nil }

func BenchmarkVerify(b *testing.B) {
	p := defaultPKI(b)
	v, err := authtoken.NewVerifier(authtoken.Config{
		Origin:       testOrigin,
		TrustAnchors: []*x509.Certificate{p.AuthCA.Cert},
		Nonces:       fixedStore{validNonce},
		Now:          func() time.Time { return testNow },
	})
	if err != nil {
		b.Fatal(err)
	}
	tok := mustCreate(b, testOrigin, validNonce, p.AuthCert, p.AuthKey, testVersion)
	token := marshal(b, tok)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(ctx, token, "s"); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzIssuingMunicipality feeds arbitrary CRL distribution point extensions
// to the parser, which a consent sheet may run on certificates nobody has
// verified yet.
func FuzzIssuingMunicipality(f *testing.F) {
	p := defaultPKI(f)
	for _, c := range []*x509.Certificate{p.AuthCertificate(), p.SignCertificate()} {
		for _, ext := range c.Extensions {
			if ext.Id.String() == "2.5.29.31" {
				f.Add(ext.Value)
			}
		}
	}
	f.Add([]byte{0x30, 0x00})
	f.Fuzz(func(t *testing.T, ext []byte) {
		cert := &x509.Certificate{Extensions: []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 31}, Value: ext}}}
		pref, muni := authtoken.IssuingMunicipality(cert)
		if pref != "" && muni == "" {
			t.Fatalf("prefecture %q without municipality", pref)
		}
	})
}
