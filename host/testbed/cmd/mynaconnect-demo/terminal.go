package main

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/mynaconnect/mynaconnect/host/protocol"
	"github.com/mynaconnect/mynaconnect/host/relyingparty/authtoken"
	"github.com/mynaconnect/mynaconnect/host/testbed/hostclient"
	"github.com/mynaconnect/mynaconnect/host/testbed/testpki"
)

// runTerminal is the walk-through without a browser: the host driven from
// here, as the extension drives it, and the token verified as a site's
// server does.
func runTerminal(ctx context.Context, out io.Writer, hostPath, origin, pin string, keep bool) error {
	step := stepper{out: out}

	card, removeCard, err := insertCard(ctx, &step)
	if err != nil {
		return err
	}
	defer removeCard()

	step.begin("native host, started as a browser starts it")
	host, err := hostclient.Start(hostPath, io.Discard, "chrome-extension://mynaconnect-demo/")
	if err != nil {
		return fmt.Errorf("%w (run `make build` first)", err)
	}
	defer host.Close(2 * time.Second)
	hello, err := host.Hello(ctx, "demo")
	if err != nil {
		return err
	}
	step.done(fmt.Sprintf("host %s, protocol %d", hello.HostVersion, hello.Protocol))

	step.begin("waiting for the card to be recognised")
	readers, err := waitForMyNumberCard(ctx, host)
	if err != nil {
		return err
	}
	for _, r := range readers.Readers {
		fmt.Fprintf(out, "      %-20s %s%s\n", r.Name, r.State, retries(r))
	}
	step.done("")

	step.begin("reading the 利用者証明用 certificate (no PIN needed)")
	var cert protocol.CertificateResult
	if err := host.Call(ctx, protocol.MethodReadAuthCertificate, map[string]any{}, &cert); err != nil {
		return err
	}
	parsed, err := x509.ParseCertificate(cert.Certificate)
	if err != nil {
		return fmt.Errorf("the card's certificate: %w", err)
	}
	pref, muni := authtoken.IssuingMunicipality(parsed)
	step.done(fmt.Sprintf("%d bytes, subject %s, issued by %s (%s)", len(cert.Certificate), parsed.Subject, muni, pref))

	verifier, nonces, err := site(origin)
	if err != nil {
		return err
	}
	const session = "demo-session"
	nonce, err := nonces.Issue(ctx, session)
	if err != nil {
		return err
	}
	step.begin(fmt.Sprintf("login to %s: the site's challenge %s…", origin, nonce[:12]))
	card.ResetLog()
	var auth protocol.AuthenticateResult
	err = host.Call(ctx, protocol.MethodAuthenticate, map[string]any{
		"origin": origin, "challengeNonce": nonce, "pin": pin, "certificateSha256": cert.CertificateSHA256,
	}, &auth)
	if err != nil {
		return fmt.Errorf("authenticate: %w", err)
	}
	step.done(fmt.Sprintf("token of %d bytes, %d APDUs to the card", len(auth.Token), len(card.Log())))

	step.begin("the site's server verifies the token")
	res, err := verifier.Verify(ctx, auth.Token, session)
	if err != nil {
		return err
	}
	step.done("verified")

	fmt.Fprintf(out, `
What the site learned:
  subject id (stable for this card and this site only)  %s
  certificate issuer                                    %s
  valid until                                           %s
  issuing municipality (from the CRL distribution point) %s, %s
What the site did not get: 個人番号 (My Number), 氏名・住所・性別・生年月日 (name, address, sex, birth date).

Replaying the same token: `, res.Subject, authtoken.IssuerName(res.Certificate), res.Certificate.NotAfter.Format("2006-01-02"), res.Municipality, res.Prefecture)
	if _, err := verifier.Verify(ctx, auth.Token, session); err != nil {
		fmt.Fprintf(out, "rejected (%v)\n", err)
	} else {
		return errors.New("a replayed token was accepted")
	}

	fmt.Fprint(out, nextSteps)
	if keep {
		fmt.Fprintln(out, "\npcscd and the virtual card keep running; press Ctrl-C to stop.")
		<-ctx.Done()
	}
	return nil
}

// site is the pretend relying party: it trusts the test CA only.
func site(origin string) (*authtoken.Verifier, *authtoken.MemoryNonceStore, error) {
	pki, err := testpki.Default()
	if err != nil {
		return nil, nil, err
	}
	nonces := authtoken.NewMemoryNonceStore(authtoken.DefaultNonceTTL, authtoken.DefaultMaxPending)
	v, err := authtoken.NewVerifier(authtoken.Config{
		Origin:       origin,
		TrustAnchors: []*x509.Certificate{pki.AuthCA.Cert},
		Nonces:       nonces,
	})
	return v, nonces, err
}

// waitForMyNumberCard waits for the host to report a My Number card, from
// the first listing or a readersChanged event.
func waitForMyNumberCard(ctx context.Context, host *hostclient.Client) (protocol.ReadersResult, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for {
		var r protocol.ReadersResult
		if err := host.Call(ctx, protocol.MethodListReaders, nil, &r); err != nil {
			return r, err
		}
		for _, rd := range r.Readers {
			if rd.State == protocol.StateMyNumber && rd.AuthPINRetries != nil {
				return r, nil
			}
		}
		select {
		case <-host.Events():
		case <-ctx.Done():
			return r, fmt.Errorf("the host did not see the virtual card: %w", ctx.Err())
		}
	}
}

func retries(r protocol.Reader) string {
	if r.AuthPINRetries == nil {
		return ""
	}
	return fmt.Sprintf(", PIN tries left: %d", *r.AuthPINRetries)
}

const nextSteps = `
Next, try:
  make demo ARGS=--keep                     keep the card in the reader, then in another terminal:
    opensc-tool -n                          OpenSC names the virtual card: jpki
    pkcs11-tool -L                          its two PIN slots
  dist/bin/mynaconnect-vcard --help         the virtual card's options: wrong PINs, locked cards, faults
  dist/bin/mynaconnect-host --help          the native host; its protocol is docs/host-protocol.md
  make test                                 the whole suite, through the real pcscd
  docs/login-token.md                       verify MynaConnect logins on your own server
`
