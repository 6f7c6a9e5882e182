package manifesttemplates

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Host is a native messaging host manifest as read back from disk, by the
// doctor and the installer's tests. Chrome-family manifests have
// AllowedOrigins, Firefox ones AllowedExtensions.
type Host struct {
	Name              string   `json:"name"`
	Description       string   `json:"description"`
	Path              string   `json:"path"`
	Type              string   `json:"type"`
	AllowedOrigins    []string `json:"allowed_origins"`
	AllowedExtensions []string `json:"allowed_extensions"`
}

// ParseHost decodes a host manifest and checks what every browser checks
// before it starts a host: the name is HostName, the type is stdio and
// there is a path. Unknown members are ignored, as browsers ignore them.
func ParseHost(b []byte) (Host, error) {
	var h Host
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&h); err != nil {
		return Host{}, fmt.Errorf("manifesttemplates: host manifest is not valid JSON: %w", err)
	}
	switch {
	case h.Name != HostName:
		return h, fmt.Errorf("manifesttemplates: host manifest names %q, not %q", h.Name, HostName)
	case h.Type != "stdio":
		return h, fmt.Errorf("manifesttemplates: host manifest type is %q, not \"stdio\"", h.Type)
	case h.Path == "":
		return h, fmt.Errorf("manifesttemplates: host manifest has no path")
	}
	return h, nil
}

// AllowsChromeExtension reports whether the manifest lets the Chromium
// extension with this id connect: its allowed_origins list
// chrome-extension://<id>/ exactly, with the trailing slash Chrome requires.
func (h Host) AllowsChromeExtension(id string) bool {
	want := "chrome-extension://" + id + "/"
	for _, o := range h.AllowedOrigins {
		if o == want {
			return true
		}
	}
	return false
}

// AllowsFirefoxAddon reports whether the manifest lets the Firefox add-on
// with this id connect.
func (h Host) AllowsFirefoxAddon(id string) bool {
	for _, e := range h.AllowedExtensions {
		if e == id {
			return true
		}
	}
	return false
}
