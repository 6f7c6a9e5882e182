package chromium_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/mynaconnect/mynaconnect/host/testbed/chromium"
)

// A browser test's outline: the built extension and host, a page that asks
// for a login, the consent window the extension opens, and the outcome on
// the page. (Compiled, not run: it needs the built extension.)
func ExampleStart() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	b, err := chromium.Start(ctx, chromium.Options{
		Extension: "dist/chromium",                          // the unpacked build
		HostPath:  "/abs/path/to/dist/bin/mynaconnect-host", // registered in the throwaway profile
		Headless:  true,
	})
	if err != nil {
		log.Fatal(err)
	}
	defer b.Close()

	tab, closeTab, err := b.NewPage(ctx, "http://127.0.0.1:8443/")
	if err != nil {
		log.Fatal(err)
	}
	defer closeTab()
	if err := chromium.Click(tab, "#login"); err != nil {
		log.Fatal(err)
	}
	consent, detach, err := b.WaitForTarget(ctx, b.ExtensionURL("consent.html"))
	if err != nil {
		log.Fatal(err)
	}
	defer detach()
	_ = consent // type the PIN and approve here, with chromium.Click
	if err := chromium.WaitTrue(tab, `document.querySelector('#result').dataset.status === 'verified'`, 30*time.Second); err != nil {
		log.Fatal(err)
	}
	status, err := chromium.Eval[string](tab, `document.querySelector('#result').dataset.status`)
	fmt.Println(status, err)
}
