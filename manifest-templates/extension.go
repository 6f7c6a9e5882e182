package manifesttemplates

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"text/template"
)

// Browsers the extension manifest is written for.
const (
	Chromium = "chromium"
	Firefox  = "firefox"
)

// ExtensionOptions says which extension manifest to write.
type ExtensionOptions struct {
	// Browser is Chromium (a service worker, the fixed "key") or Firefox
	// (background scripts, the gecko id GeckoID).
	Browser string
	// Version is the extension's version: one to four dot-separated
	// integers, as both browsers require.
	Version string
	// OmitKey leaves out Chromium's "key", as a store upload must: the store
	// assigns its own id, and host manifests must then name that one.
	OmitKey bool
}

//go:embed extension.json
var extensionJSON string

var extensionTemplate = template.Must(template.New("extension.json").Parse(extensionJSON))

var extensionVersion = regexp.MustCompile(`^(0|[1-9][0-9]{0,8})(\.(0|[1-9][0-9]{0,8})){0,3}$`)

// Extension returns the extension's manifest.json. The content scripts, the
// background entry point and the pages it names are those the extension
// build writes; the permissions are those the extension needs
// (nativeMessaging for the host, storage for per-site permissions and
// settings, and in Chromium offscreen for the sheet host, the document that
// keeps the consent sheets running between windows). There are no host_permissions beyond the content scripts'
// matches and no externally_connectable: pages reach the extension only
// through its content scripts, which never let them name the origin.
func Extension(o ExtensionOptions) ([]byte, error) {
	if o.Browser != Chromium && o.Browser != Firefox {
		return nil, fmt.Errorf("manifesttemplates: unknown browser %q (want %q or %q)", o.Browser, Chromium, Firefox)
	}
	if !extensionVersion.MatchString(o.Version) {
		return nil, fmt.Errorf("manifesttemplates: extension version %q is not 1 to 4 dot-separated integers", o.Version)
	}
	data := struct {
		Browser, Version, Key, GeckoID string
	}{Browser: o.Browser, Version: o.Version, GeckoID: GeckoID}
	if !o.OmitKey {
		data.Key = ExtensionKey
	}
	var buf bytes.Buffer
	if err := extensionTemplate.Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("manifesttemplates: extension.json: %w", err)
	}
	if !json.Valid(buf.Bytes()) {
		return nil, fmt.Errorf("manifesttemplates: extension.json produced invalid JSON for %s", o.Browser)
	}
	return buf.Bytes(), nil
}
