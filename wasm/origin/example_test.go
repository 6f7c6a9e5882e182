package origin_test

import (
	"errors"
	"fmt"

	"github.com/mynaconnect/mynaconnect/wasm/origin"
)

func ExampleAnalyze() {
	// Cyrillic "а" in "pаypal": the browser sends the punycode.
	o, err := origin.Analyze("https://login.xn--pypal-4ve.com")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(o.UnicodeHost)
	fmt.Println(o.RegistrableDomain, o.RegistrableDomainASCII)
	fmt.Println(o.LooksLike)
	fmt.Println(o.Warnings)

	_, err = origin.Analyze("http://example.com")
	fmt.Println(err, errors.Is(err, origin.ErrInsecure))
	// Output:
	// login.pаypal.com
	// pаypal.com xn--pypal-4ve.com
	// login.paypal.com
	// [CONFUSABLE MIXED_SCRIPT IDN]
	// origin: HTTP_NOT_LOOPBACK: "http://example.com" true
}
