package manifesttemplates

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// ChromeHostFor is ChromeHost for a host installed on the operating system
// goos ("linux", "darwin" or "windows"), which need not be the one this
// program runs on: the installer plans Windows installs on Linux (dry run)
// and its tests check the manifests for all three. hostPath must be
// absolute by goos's rules.
func ChromeHostFor(goos, hostPath string, extensionIDs ...string) ([]byte, error) {
	return hostManifestFor(goos, "native-host-chrome.json", hostPath, extensionIDs)
}

// FirefoxHostFor is FirefoxHost for a host installed on goos; see
// ChromeHostFor.
func FirefoxHostFor(goos, hostPath string, addonIDs ...string) ([]byte, error) {
	return hostManifestFor(goos, "native-host-firefox.json", hostPath, addonIDs)
}

// IsAbsFor reports whether p is an absolute path on goos. Browsers resolve a
// relative "path" in a host manifest against the manifest's directory on
// some systems and refuse it on others; an installer must never rely on
// either, so manifests always carry absolute paths.
func IsAbsFor(goos, p string) (bool, error) {
	switch goos {
	case "linux", "darwin":
		return strings.HasPrefix(p, "/"), nil
	case "windows":
		// A drive-letter path (C:\ or C:/) or a UNC path (\\server\share).
		// "\foo" and "C:foo" are relative to the current drive or to the
		// drive's current directory, so they do not count.
		if len(p) >= 3 && isLetter(p[0]) && p[1] == ':' && (p[2] == '\\' || p[2] == '/') {
			return true, nil
		}
		return strings.HasPrefix(p, `\\`) && len(p) > 2, nil
	}
	return false, fmt.Errorf("manifesttemplates: unknown operating system %q (want linux, darwin or windows)", goos)
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// hostManifestFor renders a host manifest for a browser on goos: the
// absolute-path check follows goos's rules, so the installer can plan for
// another operating system. Values are JSON-escaped before they meet the
// template: a Windows path's backslashes must not break the manifest.
func hostManifestFor(goos, name, hostPath string, ids []string) ([]byte, error) {
	abs, err := IsAbsFor(goos, hostPath)
	if err != nil {
		return nil, err
	}
	if !abs {
		return nil, fmt.Errorf("manifesttemplates: host path %q is not absolute on %s; browsers require an absolute path", hostPath, goos)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("manifesttemplates: %s: no extension allowed", name)
	}
	quote := func(s string) string {
		b, _ := json.Marshal(s)
		return string(b[1 : len(b)-1])
	}
	data := struct {
		Name, Path   string
		ExtensionIDs []string
	}{Name: HostName, Path: quote(hostPath)}
	for _, id := range ids {
		data.ExtensionIDs = append(data.ExtensionIDs, quote(id))
	}
	var buf bytes.Buffer
	if err := hostTemplates.ExecuteTemplate(&buf, name, data); err != nil {
		return nil, fmt.Errorf("manifesttemplates: %s: %w", name, err)
	}
	if !json.Valid(buf.Bytes()) {
		return nil, fmt.Errorf("manifesttemplates: %s produced invalid JSON", name)
	}
	return buf.Bytes(), nil
}

// ValidExtensionID reports whether id has the form of a Chromium extension
// id: 32 letters a to p (a SHA-256 prefix written in Chromium's own hex
// digits). A manifest naming anything else allows no extension at all.
func ValidExtensionID(id string) bool {
	if len(id) != 32 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] < 'a' || id[i] > 'p' {
			return false
		}
	}
	return true
}
