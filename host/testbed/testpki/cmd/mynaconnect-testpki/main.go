// Command mynaconnect-testpki generates the J-LIS-shaped test PKI: two test
// roots, a fictional holder's two key pairs and certificates. Run it from the
// repository root to refresh testdata/pki; see -help.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/mynaconnect/mynaconnect/host/testbed/testpki"
)

// defaultNow fixes the dates of the committed set, so that regenerating it
// changes keys and serial numbers but not validity periods.
const defaultNow = "2026-04-01T00:00:00+09:00"

const usage = `Usage: mynaconnect-testpki [-out DIR] [-now TIME] [-renew FROM]

Generates a test PKI shaped like the one J-LIS runs for the My Number card
(JPKI): a user authentication root and a digital signature root, and for a
fictional holder ("テスト 花子", Sapporo-shi Minami-ku) a 利用者証明用 (auth)
and a 署名用 (signature) key pair and certificate. The virtual card and the
tests use the committed copy in testdata/pki.

Every run makes NEW keys. Anything pinned to the old ones (recorded APDU
transcripts, expected signatures, account addresses) must be updated too.
The keys are written unencrypted: they are public test keys, never trust
these CAs outside tests.

Files written to DIR (existing ones are overwritten, others left alone):
  auth-ca.der, auth-ca.pem       user authentication root certificate
  sign-ca.der, sign-ca.pem       digital signature root certificate
  auth-cert.der, auth-cert.pem   holder's auth certificate (card EF 000A)
  sign-cert.der, sign-cert.pem   holder's signature certificate (card EF 0001)
  auth-key.pem, sign-key.pem     holder's private keys (PKCS#8)
  auth-ca-key.pem, sign-ca-key.pem  root private keys, to issue more test
                                 certificates under the same roots

Validity: holder certificates from TIME for 5 years (minus one second),
roots from 3 years before TIME for 20 years (minus one second).

With -renew FROM it writes the renewal of the set in FROM instead: the same
roots and holder, new key pairs and certificates from TIME, as a card renewed
or reissued at the municipal office. A card account owned by the old auth
key must be handed to the new one (docs: CardRecovery). Give the virtual card
the result with mynaconnect-vcard -pki DIR.

Examples (from the repository root):
  go run ./host/testbed/testpki/cmd/mynaconnect-testpki
  go run ./host/testbed/testpki/cmd/mynaconnect-testpki -renew testdata/pki -out /tmp/renewed -now 2026-12-07T09:00:00+09:00

Flags:
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("mynaconnect-testpki", flag.ContinueOnError)
	fl.SetOutput(stderr)
	out := fl.String("out", "testdata/pki", "output `DIR`, created if missing")
	nowFlag := fl.String("now", defaultNow, "issue time, RFC 3339 `TIME`; the default keeps the committed set's dates")
	renew := fl.String("renew", "", "renew the set in `FROM` (same roots and holder, new keys and certificates) instead of generating one")
	fl.Usage = func() {
		fmt.Fprint(fl.Output(), usage)
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fl.NArg() != 0 {
		fmt.Fprintf(stderr, "mynaconnect-testpki: unexpected argument %q (see -help)\n", fl.Arg(0))
		return 2
	}
	now, err := time.Parse(time.RFC3339, *nowFlag)
	if err != nil {
		fmt.Fprintf(stderr, "mynaconnect-testpki: -now: want RFC 3339 like %s: %v\n", defaultNow, err)
		return 2
	}
	var p *testpki.PKI
	if *renew != "" {
		if *renew == *out {
			fmt.Fprintf(stderr, "mynaconnect-testpki: -renew and -out are both %s: write the renewal elsewhere\n", *out)
			return 2
		}
		old, lerr := testpki.Load(os.DirFS(*renew))
		if lerr != nil {
			fmt.Fprintf(stderr, "mynaconnect-testpki: -renew %s: %v\n", *renew, lerr)
			return 1
		}
		p, err = old.Renew(now)
	} else {
		p, err = testpki.Generate(now)
	}
	if err != nil {
		fmt.Fprintf(stderr, "mynaconnect-testpki: %v\n", err)
		return 1
	}
	if err := p.Write(*out); err != nil {
		fmt.Fprintf(stderr, "mynaconnect-testpki: %v\n", err)
		return 1
	}
	auth := p.AuthCertificate()
	fmt.Fprintf(stdout, "wrote test PKI to %s\n", filepath.Clean(*out))
	fmt.Fprintf(stdout, "  auth cert %d bytes, sign cert %d bytes, holder certificates valid %s to %s\n",
		len(p.AuthCert), len(p.SignCert), auth.NotBefore.Format(time.RFC3339), auth.NotAfter.Format(time.RFC3339))
	return 0
}
