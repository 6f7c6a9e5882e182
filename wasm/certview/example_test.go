package certview_test

import (
	"fmt"
	"io/fs"

	mynaconnect "github.com/mynaconnect/mynaconnect"
	"github.com/mynaconnect/mynaconnect/wasm/certview"
)

func ExampleParse() {
	der, err := fs.ReadFile(mynaconnect.TestPKI(), "auth-cert.der")
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := certview.Parse(der)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Subject)
	fmt.Println(c.PrefectureJa, c.Municipality)
	fmt.Println(c.NotAfter, "=", c.NotAfter.In(9*3600))
	fmt.Println(c.PublicKeyAlgorithm, c.PublicKeyBits)
	// Output:
	// C=JP, CN=OF2THUV3B12MZMQGIGDQRSZ
	// 北海道 Sapporo-shi-Minami-ku
	// 2031-03-31T14:59:59Z = 2031-03-31T23:59:59+09:00
	// RSA 2048
}
