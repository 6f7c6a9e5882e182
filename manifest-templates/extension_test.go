package manifesttemplates

import (
	"encoding/json"
	"testing"
)

func TestExtensionManifestForChromiumHasTheKeyAndAModuleServiceWorker(t *testing.T) {
	b, err := Extension(ExtensionOptions{Browser: Chromium, Version: "0.1.0"})
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		ManifestVersion int               `json:"manifest_version"`
		Version         string            `json:"version"`
		Key             string            `json:"key"`
		Background      map[string]any    `json:"background"`
		Permissions     []string          `json:"permissions"`
		HostPermissions []string          `json:"host_permissions"`
		CSP             map[string]string `json:"content_security_policy"`
		External        any               `json:"externally_connectable"`
		Gecko           any               `json:"browser_specific_settings"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if m.ManifestVersion != 3 || m.Version != "0.1.0" || m.Key != ExtensionKey {
		t.Errorf("manifest_version %d, version %q, key %q", m.ManifestVersion, m.Version, m.Key)
	}
	if m.Background["service_worker"] != "background.js" || m.Background["type"] != "module" {
		t.Errorf("background = %v", m.Background)
	}
	if got, _ := json.Marshal(m.Permissions); string(got) != `["nativeMessaging","storage","offscreen"]` {
		t.Errorf("permissions = %s", got)
	}
	if m.HostPermissions != nil || m.External != nil || m.Gecko != nil {
		t.Errorf("unexpected host_permissions %v, externally_connectable %v or gecko settings %v", m.HostPermissions, m.External, m.Gecko)
	}
	if got, want := m.CSP["extension_pages"], "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'"; got != want {
		t.Errorf("CSP = %q, want %q", got, want)
	}
}

func TestExtensionManifestForFirefoxHasTheGeckoIDAndBackgroundScripts(t *testing.T) {
	b, err := Extension(ExtensionOptions{Browser: Firefox, Version: "0.1.0"})
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Key        *string `json:"key"`
		Background struct {
			Scripts       []string `json:"scripts"`
			ServiceWorker *string  `json:"service_worker"`
		} `json:"background"`
		Settings struct {
			Gecko struct {
				ID               string `json:"id"`
				StrictMinVersion string `json:"strict_min_version"`
				DataCollection   struct {
					Required []string `json:"required"`
				} `json:"data_collection_permissions"`
			} `json:"gecko"`
			GeckoAndroid struct {
				StrictMinVersion string `json:"strict_min_version"`
			} `json:"gecko_android"`
		} `json:"browser_specific_settings"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if m.Key != nil || m.Background.ServiceWorker != nil {
		t.Errorf("Firefox manifest has a key or a service worker: %s", b)
	}
	if len(m.Background.Scripts) != 1 || m.Background.Scripts[0] != "background.js" || m.Settings.Gecko.ID != GeckoID {
		t.Errorf("background %v, gecko id %q", m.Background.Scripts, m.Settings.Gecko.ID)
	}
	// Firefox's built-in data consent (required for new add-ons on AMO)
	// came in Firefox 140 and Firefox for Android 142; web-ext lint warns
	// when the minimum versions are older than the keys they use. The login
	// sends the card's authentication certificate, which identifies the
	// holder, to the site, and the PIN to the native host.
	if m.Settings.Gecko.StrictMinVersion != "140.0" || m.Settings.GeckoAndroid.StrictMinVersion != "142.0" {
		t.Errorf("strict_min_version %q (Android %q), want 140.0 (142.0)", m.Settings.Gecko.StrictMinVersion, m.Settings.GeckoAndroid.StrictMinVersion)
	}
	if got, _ := json.Marshal(m.Settings.Gecko.DataCollection.Required); string(got) != `["authenticationInfo","personallyIdentifyingInfo"]` {
		t.Errorf("data_collection_permissions.required = %s", got)
	}
}

func TestExtensionManifestForAStoreOmitsTheKey(t *testing.T) {
	b, err := Extension(ExtensionOptions{Browser: Chromium, Version: "1.2.3.4", OmitKey: true})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if _, ok := m["key"]; ok {
		t.Errorf("key present: %s", b)
	}
}

func TestExtensionManifestRefusesBadInput(t *testing.T) {
	for _, o := range []ExtensionOptions{
		{Browser: "safari", Version: "0.1.0"},
		{Browser: Chromium, Version: "0.1.0-beta"},
		{Browser: Chromium, Version: ""},
		{Browser: Firefox, Version: "1.2.3.4.5"},
		{Browser: Chromium, Version: `0.1", "evil": "1`},
	} {
		if _, err := Extension(o); err == nil {
			t.Errorf("Extension(%+v) accepted", o)
		}
	}
}
