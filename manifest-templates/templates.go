// Package manifesttemplates holds the manifests MynaConnect gives browsers:
// the native messaging host manifests (Chrome family and Firefox) and the
// identity of the extension they allow. The installer, the extension build
// and the tests all take them from here, so the host name and the
// extension id cannot drift apart.
package manifesttemplates

import (
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"runtime"
	"text/template"
)

// HostName is the native messaging host's name, as the extension passes it
// to connectNative and as the manifest file is named (HostName + ".json").
const HostName = "jp.mynaconnect.host"

// GeckoID is the extension's id in Firefox (browser_specific_settings).
const GeckoID = "mynaconnect@mynaconnect.jp"

// ExtensionKey is the public key (base64 DER SubjectPublicKeyInfo) in the
// Chromium manifest's "key" field. It fixes the extension id for unpacked
// builds (DevelopmentExtensionID), so host manifests can name it; the store
// assigns its own and the build for a store upload leaves the key out.
//
// The key is public, so any unpacked extension can copy it and get the same
// id: a host manifest that allows the development id lets such an extension
// ask the host for logins. The installer allows it only when asked
// (--development-extension), and the doctor says when a manifest does.
const ExtensionKey = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAq+Z6bf+eqeT1EJm8XnNzyiGvzIY3wr0T9z0c8Qb3/t3TXUFezgJOoverLzOnVdzCKwuEY3ky2VYrJUaLE0XruzdDqzoouXoJ6fFJKeNNdoPlHASL4EVPjs64oB8QwxJ333NlPCG84nUEttISz1p44x6a2ZB/f+tcNiTLBpngAfCE+NPmPm/QqAPlm/zcVbTHrDGKQRQTtliAU0mkTEJa1z6SytyaPhZ+g/H2kiqohZhcwyEBq5HqsftOX3JPvL7033OeLQZoeZyZxnsp6rFqg2Ovpt8eHlJLb3tR7EvqwkH5/9gJYbnRGkt08tqXS3U6Bm7uSplS77IXwfMGlbQFWQIDAQAB"

// PublishedExtensionIDs are the ids of MynaConnect's extension in the
// browsers' stores, which only the store's publisher can upload to: what
// host manifests allow by default. The Chrome Web Store assigns the id at
// the first upload; it is added here in the release that follows. There is
// none yet.
var PublishedExtensionIDs = []string{}

// DevelopmentExtensionID is the Chromium extension id that ExtensionKey
// gives the unpacked build: the first 16 bytes of SHA-256 of the key, each
// hex digit 0-f written a-p.
func DevelopmentExtensionID() string {
	der, err := base64.StdEncoding.DecodeString(ExtensionKey)
	if err != nil {
		panic("manifesttemplates: ExtensionKey is not base64: " + err.Error())
	}
	sum := sha256.Sum256(der)
	id := make([]byte, 32)
	for i, b := range sum[:16] {
		id[2*i] = 'a' + b>>4
		id[2*i+1] = 'a' + b&0x0f
	}
	return string(id)
}

//go:embed native-host-chrome.json native-host-firefox.json
var files embed.FS

var hostTemplates = template.Must(template.ParseFS(files, "native-host-*.json"))

// ChromeHost returns the native messaging host manifest for Chrome-family
// browsers (Chrome, Chromium, Edge, Brave, Vivaldi): the host binary at
// hostPath, reachable from the given extension ids.
func ChromeHost(hostPath string, extensionIDs ...string) ([]byte, error) {
	return hostManifest("native-host-chrome.json", hostPath, extensionIDs)
}

// FirefoxHost returns the native messaging host manifest for Firefox: the
// host binary at hostPath, reachable from the given add-on ids.
func FirefoxHost(hostPath string, addonIDs ...string) ([]byte, error) {
	return hostManifest("native-host-firefox.json", hostPath, addonIDs)
}

// hostManifest renders a host manifest for a browser on this machine.
func hostManifest(name, hostPath string, ids []string) ([]byte, error) {
	return hostManifestFor(runtime.GOOS, name, hostPath, ids)
}
