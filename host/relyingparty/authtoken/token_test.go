package authtoken_test

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/relyingparty/authtoken"
)

func TestSignedData(t *testing.T) {
	got := authtoken.SignedData("https://example.com", "abc")
	o := sha256.Sum256([]byte("https://example.com"))
	n := sha256.Sum256([]byte("abc"))
	if len(got) != 64 || !bytes.Equal(got[:32], o[:]) || !bytes.Equal(got[32:], n[:]) {
		t.Fatalf("SignedData = %x", got)
	}
	// Known answer, so that a change of scheme cannot go unnoticed.
	const want = "100680ad546ce6a577f42f52df33b4cfdca756859e664b8d7de329b150d09ce9" +
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	if hex.EncodeToString(got) != want {
		t.Errorf("SignedData = %x, want %s", got, want)
	}
	// The vector in docs/login-token.md, computed independently.
	const doc = "2eea6c22b16a7ff23da57271aafdae0228bcd1d62ecd538edc37ca0acd5878e4" +
		"905f28def18eaac05ae6f12b2c3452744afaf626da1343d57b395b544e0519b6"
	if got := authtoken.SignedData("https://login.example.jp", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="); hex.EncodeToString(got) != doc {
		t.Errorf("SignedData of the documented vector = %x", got)
	}
	// Hashing each field keeps shifted boundaries apart.
	if bytes.Equal(authtoken.SignedData("https://example.com", ".eu1234"), authtoken.SignedData("https://example.com.eu", "1234")) {
		t.Error("SignedData does not separate origin and nonce")
	}
}

func TestCreate(t *testing.T) {
	p := defaultPKI(t)
	tok := mustCreate(t, testOrigin, validNonce, p.AuthCert, p.AuthKey, testVersion)
	if tok.Format != "web-eid:1.0" || tok.Algorithm != "RS256" || tok.AppVersion != testVersion ||
		!bytes.Equal(tok.UnverifiedCertificate, p.AuthCert) || len(tok.Signature) != 256 {
		t.Errorf("token = %+v", tok)
	}
	b, err := tok.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	// The JSON is the Web eID shape, with exactly these fields.
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	if len(m) != 5 || m["format"] != "web-eid:1.0" || m["algorithm"] != "RS256" ||
		m["appVersion"] != testVersion || m["unverifiedCertificate"] == "" || m["signature"] == "" {
		t.Errorf("JSON fields %v: %s", keys, b)
	}
}

// cardSigner stands in for the card's crypto.Signer.
type cardSigner struct {
	crypto.Signer
	err error
}

func (s cardSigner) Sign(r io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	if s.err != nil {
		return nil, s.err
	}
	return s.Signer.Sign(r, digest, opts)
}

var errCardRemoved = errors.New("card removed")

func TestCreateRejects(t *testing.T) {
	p := defaultPKI(t)
	tests := []struct {
		name   string
		origin string
		nonce  string
		cert   []byte
		signer crypto.Signer
		ver    string
		want   error
	}{
		{"bad origin", "https://example.com/", validNonce, p.AuthCert, p.AuthKey, testVersion, authtoken.ErrBadOrigin},
		{"bad nonce", testOrigin, "short", p.AuthCert, p.AuthKey, testVersion, authtoken.ErrBadNonce},
		{"bad certificate", testOrigin, validNonce, []byte("not DER"), p.AuthKey, testVersion, errNotDER},
		{"key of another certificate", testOrigin, validNonce, p.AuthCert, p.SignKey, testVersion, authtoken.ErrBadSignature},
		{"card error", testOrigin, validNonce, p.AuthCert, cardSigner{p.AuthKey, errCardRemoved}, testVersion, errCardRemoved},
		{"empty appVersion", testOrigin, validNonce, p.AuthCert, p.AuthKey, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			signer := &countingSigner{Signer: tt.signer}
			tok, err := create(tt.origin, tt.nonce, tt.cert, signer, tt.ver)
			if err == nil || tok != nil {
				t.Fatalf("Create = %v, %v; want an error", tok, err)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			// Bad input never reaches the card: no PIN is spent on it.
			if (errors.Is(err, authtoken.ErrBadOrigin) || errors.Is(err, authtoken.ErrBadNonce)) && signer.n > 0 {
				t.Error("the card was asked to sign for bad input")
			}
		})
	}
}

// errNotDER is create's error for a certificate that does not parse: the
// caller of Create parses it.
var errNotDER = errors.New("the certificate does not parse")

// create is the host's way to a token: the challenge checked, the
// certificate parsed, then Create.
func create(origin, nonce string, certDER []byte, signer crypto.Signer, version string) (*authtoken.Token, error) {
	ch, err := authtoken.NewChallenge(origin, nonce)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(certDER)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errNotDER, err)
	}
	return authtoken.Create(ch, cert, signer, version)
}

// mustCreate is create for inputs that must make a token.
func mustCreate(t testing.TB, origin, nonce string, certDER []byte, signer crypto.Signer, version string) *authtoken.Token {
	t.Helper()
	tok, err := create(origin, nonce, certDER, signer, version)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

type countingSigner struct {
	crypto.Signer
	n int
}

func (s *countingSigner) Sign(r io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	s.n++
	if opts.HashFunc() != crypto.SHA256 || len(digest) != sha256.Size {
		return nil, errors.New("not a SHA-256 digest")
	}
	return s.Signer.Sign(r, digest, opts)
}

func validTokenJSON(t testing.TB) []byte {
	t.Helper()
	p := defaultPKI(t)
	tok := mustCreate(t, testOrigin, validNonce, p.AuthCert, p.AuthKey, testVersion)
	return marshal(t, tok)
}

func TestParseTokenRoundTrip(t *testing.T) {
	b := validTokenJSON(t)
	tok, err := authtoken.ParseToken(b)
	if err != nil {
		t.Fatal(err)
	}
	again, err := tok.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, again) {
		t.Errorf("round trip changed the token:\n%s\n%s", b, again)
	}
	// Field order and white space are free.
	loose := `
	{ "format" : "web-eid:1", "appVersion":"x", "signature":"AAAA",
	  "algorithm":"RS256", "unverifiedCertificate":"AAAA" }
	`
	if _, err := authtoken.ParseToken([]byte(loose)); err != nil {
		t.Errorf("reordered token with white space: %v", err)
	}
}

func TestParseTokenRejects(t *testing.T) {
	good := string(validTokenJSON(t))
	// without removes one `"key":"value",` pair.
	without := func(key string) string {
		i := strings.Index(good, `"`+key+`"`)
		j := strings.Index(good[i:], `",`) + i + 2
		if j < i+2 { // the last field
			return good[:i-1] + "}"
		}
		return good[:i] + good[j:]
	}
	replace := func(old, new string) string { return strings.Replace(good, old, new, 1) }
	tests := []struct {
		name, token string
		want        error
	}{
		{"empty", "", authtoken.ErrMalformedToken},
		{"null", "null", authtoken.ErrMalformedToken},
		{"array", "[]", authtoken.ErrMalformedToken},
		{"string", `"token"`, authtoken.ErrMalformedToken},
		{"empty object", "{}", authtoken.ErrMalformedToken},
		{"truncated", good[:len(good)-1], authtoken.ErrMalformedToken},
		{"trailing data", good + "x", authtoken.ErrMalformedToken},
		{"second object", good + "{}", authtoken.ErrMalformedToken},
		{"second token", good + good, authtoken.ErrMalformedToken},
		{"unknown field", `{"x":"y",` + good[1:], authtoken.ErrMalformedToken},
		{"field in another case", replace(`"format"`, `"Format"`), authtoken.ErrMalformedToken},
		{"duplicate field", `{"format":"web-eid:1.0",` + good[1:], authtoken.ErrMalformedToken},
		{"missing certificate", without("unverifiedCertificate"), authtoken.ErrMalformedToken},
		{"missing signature", without("signature"), authtoken.ErrMalformedToken},
		{"missing algorithm", without("algorithm"), authtoken.ErrMalformedToken},
		{"missing format", without("format"), authtoken.ErrMalformedToken},
		{"missing appVersion", without("appVersion"), authtoken.ErrMalformedToken},
		{"empty algorithm", replace(`"RS256"`, `""`), authtoken.ErrMalformedToken},
		{"null field", replace(`"RS256"`, `null`), authtoken.ErrMalformedToken},
		{"number field", replace(`"RS256"`, `256`), authtoken.ErrMalformedToken},
		{"object field", replace(`"RS256"`, `{"alg":"RS256"}`), authtoken.ErrMalformedToken},
		{"array field", replace(`"RS256"`, `["RS256"]`), authtoken.ErrMalformedToken},
		{"certificate not base64", replace(`"unverifiedCertificate":"`, `"unverifiedCertificate":"!`), authtoken.ErrMalformedToken},
		{"certificate in URL-safe base64", replace(`"unverifiedCertificate":"MII`, `"unverifiedCertificate":"-_I`), authtoken.ErrMalformedToken},
		{"signature with escaped newline", replace(`"signature":"`, `"signature":"\n`), authtoken.ErrMalformedToken},
		{"invalid UTF-8", replace(`"appVersion":"`, "\"appVersion\":\"\xff"), authtoken.ErrMalformedToken},
		{"too large", good + strings.Repeat(" ", authtoken.MaxTokenSize), authtoken.ErrTokenTooLarge},
		{"too large garbage", strings.Repeat("\x00", authtoken.MaxTokenSize+1), authtoken.ErrTokenTooLarge},
		{"format web-eid:2", replace(`web-eid:1.0`, `web-eid:2`), authtoken.ErrUnsupportedFormat},
		{"format web-eid:10", replace(`web-eid:1.0`, `web-eid:10`), authtoken.ErrUnsupportedFormat},
		{"format other", replace(`web-eid:1.0`, `mynaconnect:1`), authtoken.ErrUnsupportedFormat},
		{"algorithm PS256", replace(`"RS256"`, `"PS256"`), authtoken.ErrUnsupportedAlgorithm},
		{"algorithm ES256", replace(`"RS256"`, `"ES256"`), authtoken.ErrUnsupportedAlgorithm},
		{"algorithm lowercase", replace(`"RS256"`, `"rs256"`), authtoken.ErrUnsupportedAlgorithm},
		{"algorithm none", replace(`"RS256"`, `"none"`), authtoken.ErrUnsupportedAlgorithm},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := authtoken.ParseToken([]byte(tt.token))
			if tok != nil {
				t.Errorf("ParseToken returned a token")
			}
			checkOnly(t, err, tt.want)
		})
	}
	for _, ok := range []string{"web-eid:1", "web-eid:1.0", "web-eid:1.1"} {
		if _, err := authtoken.ParseToken([]byte(replace("web-eid:1.0", ok))); err != nil {
			t.Errorf("format %q: %v", ok, err)
		}
	}
}

func TestMarshalRefusesWhatParseRejects(t *testing.T) {
	for _, tt := range []struct {
		name string
		tok  *authtoken.Token
		want error
	}{
		{"nil", nil, authtoken.ErrMalformedToken},
		{"empty", &authtoken.Token{}, authtoken.ErrMalformedToken},
		{"bad format", &authtoken.Token{UnverifiedCertificate: []byte{1}, Signature: []byte{1}, Algorithm: "RS256", Format: "x", AppVersion: "v"}, authtoken.ErrUnsupportedFormat},
		{"too large", &authtoken.Token{UnverifiedCertificate: make([]byte, authtoken.MaxTokenSize), Signature: []byte{1}, Algorithm: "RS256", Format: "web-eid:1.0", AppVersion: "v"}, authtoken.ErrTokenTooLarge},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.tok.Marshal(); !errors.Is(err, tt.want) {
				t.Errorf("Marshal: %v, want %v", err, tt.want)
			}
		})
	}
}

// FuzzParseToken checks that ParseToken never panics, and that a token it
// accepts marshals to JSON that parses to the same token and marshals to the
// same bytes again.
func FuzzParseToken(f *testing.F) {
	good := validTokenJSON(f)
	f.Add(good)
	f.Add([]byte(`{"unverifiedCertificate":"AAAA","algorithm":"RS256","signature":"AAAA","format":"web-eid:1","appVersion":"\u003c\ud83d\ude00"}`))
	f.Add([]byte(`{"format":"web-eid:1.0","format":"web-eid:1.0"}`))
	f.Add([]byte(`{"a":{"b":[1,2,{"c":null}]}}`))
	f.Add([]byte(`[{},"",1e999,-0,true]`))
	f.Add(good[:len(good)/2])
	f.Add(append(good, ' ', '{', '}'))
	f.Fuzz(func(t *testing.T, b []byte) {
		tok, err := authtoken.ParseToken(b)
		if err != nil {
			if tok != nil {
				t.Fatal("token and error")
			}
			return
		}
		out, err := tok.Marshal()
		if err != nil {
			t.Fatalf("parsed token does not marshal: %v", err)
		}
		again, err := authtoken.ParseToken(out)
		if err != nil {
			t.Fatalf("marshalled token does not parse: %v\n%s", err, out)
		}
		if !bytes.Equal(again.UnverifiedCertificate, tok.UnverifiedCertificate) || !bytes.Equal(again.Signature, tok.Signature) ||
			again.Algorithm != tok.Algorithm || again.Format != tok.Format || again.AppVersion != tok.AppVersion {
			t.Fatalf("round trip changed the token: %+v -> %+v", tok, again)
		}
		if out2, _ := again.Marshal(); !bytes.Equal(out, out2) {
			t.Fatalf("Marshal is not stable:\n%s\n%s", out, out2)
		}
	})
}
