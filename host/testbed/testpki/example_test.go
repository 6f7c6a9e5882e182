package testpki_test

import (
	"fmt"
	"log"

	"github.com/mynaconnect/mynaconnect/host/testbed/testpki"
)

// A consent sheet names the municipality that sending the authentication
// certificate discloses.
func ExampleMunicipalityFromCRLDP() {
	p, err := testpki.Default()
	if err != nil {
		log.Fatal(err)
	}
	prefecture, municipality, ok := testpki.MunicipalityFromCRLDP(p.AuthCertificate())
	fmt.Println(prefecture, municipality, ok)
	// Output: Hokkaido Sapporo-shi-Minami-ku true
}
