package authtoken_test

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/mynaconnect/mynaconnect/host/relyingparty/authtoken"
	"github.com/mynaconnect/mynaconnect/host/testbed/testpki"
)

// A relying party at https://login.example.jp issues a challenge to a
// browser session, MynaConnect answers with a token signed by the card (here
// the test card's key), and the server verifies it.
func ExampleVerifier() {
	ctx := context.Background()
	card, err := testpki.Default() // in production: the J-LIS user-authentication CAs
	if err != nil {
		log.Fatal(err)
	}

	// Once, at start-up.
	nonces := authtoken.NewMemoryNonceStore(authtoken.DefaultNonceTTL, 10000)
	verifier, err := authtoken.NewVerifier(authtoken.Config{
		Origin:       "https://login.example.jp",
		TrustAnchors: []*x509.Certificate{card.AuthCA.Cert},
		Nonces:       nonces,
		// Pinned inside the test certificate's validity; leave nil for time.Now.
		Now: func() time.Time { return time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		log.Fatal(err)
	}

	// GET /login/challenge: a challenge for this browser session.
	nonce, err := nonces.Issue(ctx, "session-cookie-value")
	if err != nil {
		log.Fatal(err)
	}

	// In the browser: the page calls mynaconnect_authenticate with the
	// nonce; the host gets the origin from the browser and the card signs.
	// (The host checks the request once, where it comes in, and parses the
	// card's certificate once.)
	challenge, err := authtoken.NewChallenge("https://login.example.jp", nonce)
	if err != nil {
		log.Fatal(err)
	}
	cert, err := x509.ParseCertificate(card.AuthCert)
	if err != nil {
		log.Fatal(err)
	}
	tok, err := authtoken.Create(challenge, cert, card.AuthKey, authtoken.AppVersionPrefix+"v1.0.0")
	if err != nil {
		log.Fatal(err)
	}
	token, err := tok.Marshal()
	if err != nil {
		log.Fatal(err)
	}

	// POST /login with the token: verify it for the same session.
	res, err := verifier.Verify(ctx, token, "session-cookie-value")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("logged in: account key of %d characters, card issued in %s, %s\n",
		len(res.Subject), res.Municipality, res.Prefecture)

	// The same token again: the challenge was used up.
	_, err = verifier.Verify(ctx, token, "session-cookie-value")
	fmt.Println("replay rejected:", errors.Is(err, authtoken.ErrUnknownNonce))

	// Output:
	// logged in: account key of 43 characters, card issued in Sapporo-shi-Minami-ku, Hokkaido
	// replay rejected: true
}
