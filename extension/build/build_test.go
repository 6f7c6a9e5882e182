package build

import (
	"context"
	"encoding/json"
	"flag"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/testbed/buildtest"
	"github.com/mynaconnect/mynaconnect/installer/findings"
	manifesttemplates "github.com/mynaconnect/mynaconnect/manifest-templates"
	"github.com/mynaconnect/mynaconnect/wasm/origin"
	"github.com/mynaconnect/mynaconnect/wasm/wasmbuild"
)

type manifest struct {
	Key         string   `json:"key"`
	Version     string   `json:"version"`
	Permissions []string `json:"permissions"`
	Background  struct {
		ServiceWorker string   `json:"service_worker"`
		Scripts       []string `json:"scripts"`
		Type          string   `json:"type"`
	} `json:"background"`
	ContentScripts []struct {
		Matches   []string `json:"matches"`
		JS        []string `json:"js"`
		RunAt     string   `json:"run_at"`
		AllFrames bool     `json:"all_frames"`
		World     string   `json:"world"`
	} `json:"content_scripts"`
	OptionsUI struct {
		Page string `json:"page"`
	} `json:"options_ui"`
	CSP struct {
		ExtensionPages string `json:"extension_pages"`
	} `json:"content_security_policy"`
	HostPermissions       []string        `json:"host_permissions"`
	ExternallyConnectable json.RawMessage `json:"externally_connectable"`
	WebAccessible         json.RawMessage `json:"web_accessible_resources"`
	Settings              struct {
		Gecko struct {
			ID string `json:"id"`
		} `json:"gecko"`
	} `json:"browser_specific_settings"`
}

func buildFor(t *testing.T, browser string) (*Report, manifest) {
	t.Helper()
	r, err := Build(context.Background(), Options{Root: buildtest.RepoRoot(t), Out: t.TempDir(), Browser: browser})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: JS %d bytes (the consent window's %d), WebAssembly %v bytes, wasm_exec.js %d bytes, %d ms", browser, r.JSBytes, r.ConsentJSBytes, r.WASMBytes, r.WasmExecBytes, r.Millis)
	b, err := os.ReadFile(filepath.Join(r.Dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("manifest.json: %v\n%s", err, b)
	}
	return r, m
}

func TestChromiumBuildIsWithinBudgetAndAsksForLittle(t *testing.T) {
	r, m := buildFor(t, manifesttemplates.Chromium)

	if over := r.OverBudget(); len(over) > 0 {
		t.Errorf("over budget: %v", over)
	}
	// The consent window runs its first script, its module and the chunks
	// that module imports: at least the strings and the DOM helper.
	if r.ConsentJSBytes < r.Files["sheetload.js"]+r.Files["consent.js"]+1000 || r.ConsentJSBytes >= r.JSBytes {
		t.Errorf("the consent window's JavaScript is %d bytes of %d", r.ConsentJSBytes, r.JSBytes)
	}
	if len(r.WASMBytes) != len(wasmbuild.Modules) || r.WasmExecBytes == 0 || r.JSBytes == 0 {
		t.Errorf("report is missing sizes: %+v", r)
	}
	for _, m := range wasmbuild.Modules {
		if r.WASMBytes[m.File] == 0 || r.WASMBytes[m.File] != r.Files[m.File] {
			t.Errorf("%s: %d bytes reported, %d in the files", m.File, r.WASMBytes[m.File], r.Files[m.File])
		}
	}
	var saved Report
	b, err := os.ReadFile(filepath.Join(r.Dir, "build-report.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &saved); err != nil || saved.JSBytes != r.JSBytes || !maps.Equal(saved.WASMBytes, r.WASMBytes) {
		t.Errorf("build-report.json = %s (%v), want the returned report", b, err)
	}

	if m.Key != manifesttemplates.ExtensionKey || m.Version != Version {
		t.Errorf("key %q, version %q", m.Key, m.Version)
	}
	if m.Background.ServiceWorker != "background.js" || m.Background.Type != "module" {
		t.Errorf("background = %+v, want a module service worker", m.Background)
	}
	if !slices.Equal(m.Permissions, []string{"nativeMessaging", "storage", "offscreen"}) {
		t.Errorf("permissions = %v, want only nativeMessaging, storage and offscreen (the sheet host)", m.Permissions)
	}
	if m.HostPermissions != nil || m.ExternallyConnectable != nil || m.WebAccessible != nil {
		t.Errorf("host_permissions %v, externally_connectable %s, web_accessible_resources %s: pages must reach the extension only through its content scripts",
			m.HostPermissions, m.ExternallyConnectable, m.WebAccessible)
	}
	if want := "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'"; m.CSP.ExtensionPages != want {
		t.Errorf("CSP = %q, want %q", m.CSP.ExtensionPages, want)
	}
	if len(m.ContentScripts) != 2 {
		t.Fatalf("content_scripts = %+v, want the provider and the bridge", m.ContentScripts)
	}
	provider, bridge := m.ContentScripts[0], m.ContentScripts[1]
	if !slices.Equal(provider.JS, []string{"provider.js"}) || provider.World != "MAIN" || provider.RunAt != "document_start" || !provider.AllFrames {
		t.Errorf("provider content script = %+v, want provider.js in the MAIN world at document_start in all frames", provider)
	}
	if !slices.Equal(bridge.JS, []string{"bridge.js"}) || bridge.World != "" || bridge.RunAt != "document_start" || !bridge.AllFrames {
		t.Errorf("bridge content script = %+v, want bridge.js isolated at document_start in all frames", bridge)
	}
	for _, cs := range m.ContentScripts {
		if !slices.Equal(cs.Matches, []string{"http://*/*", "https://*/*"}) {
			t.Errorf("%v matches %v, want http and https pages only", cs.JS, cs.Matches)
		}
	}

	// Every file the manifest and the pages name is in the build.
	names := []string{m.Background.ServiceWorker, m.OptionsUI.Page, "onboarding.html"}
	for _, cs := range m.ContentScripts {
		names = append(names, cs.JS...)
	}
	ref := regexp.MustCompile(`(?:src|href)="?([^" >]+)`)
	for _, page := range append(slices.Clone(pages), sheetHost.page) {
		b, err := os.ReadFile(filepath.Join(r.Dir, page))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ref.FindAllSubmatch(b, -1) {
			names = append(names, string(m[1]))
		}
	}
	for _, m := range wasmbuild.Modules {
		names = append(names, m.File) // fetched by sheetload.js and sheethost.js
	}
	names = append(names, "wasm_exec.js") // loaded by lib/sheetmodule.js
	for _, n := range names {
		if _, ok := r.Files[n]; !ok {
			t.Errorf("%s is referenced but not built (files: %v)", n, r.Files)
		}
	}
}

func TestFirefoxBuildHasBackgroundScriptsAndTheGeckoID(t *testing.T) {
	r, m := buildFor(t, manifesttemplates.Firefox)
	if filepath.Base(r.Dir) != "firefox" {
		t.Errorf("built into %s, want .../firefox", r.Dir)
	}
	if m.Key != "" || m.Background.ServiceWorker != "" || !slices.Equal(m.Background.Scripts, []string{"background.js"}) {
		t.Errorf("key %q, background %+v", m.Key, m.Background)
	}
	if m.Settings.Gecko.ID != manifesttemplates.GeckoID {
		t.Errorf("gecko id %q, want %q", m.Settings.Gecko.ID, manifesttemplates.GeckoID)
	}
	if !slices.Equal(m.Permissions, []string{"nativeMessaging", "storage"}) {
		t.Errorf("permissions = %v, want only nativeMessaging and storage", m.Permissions)
	}
	// Firefox has no offscreen documents: each consent window starts its
	// own sheet.
	for _, f := range []string{sheetHost.script, sheetHost.page} {
		if _, ok := r.Files[f]; ok {
			t.Errorf("%s is in the Firefox build", f)
		}
	}
}

// TestTheSheetHostSpecimenHasEveryTypeStyle: the sheet host lays out a
// specimen of every class and element the stylesheets give a font, size or
// weight, so that the consent window's first layout finds its fonts loaded
// (docs/benchmarks.md). A style missing from it would cost the window its
// font lookups again.
func TestTheSheetHostSpecimenHasEveryTypeStyle(t *testing.T) {
	specimen, err := os.ReadFile(filepath.Join("..", "src", sheetHost.page))
	if err != nil {
		t.Fatal(err)
	}
	classes := map[string]bool{}
	for _, m := range regexp.MustCompile(`class="([^"]*)"`).FindAllSubmatch(specimen, -1) {
		for _, c := range strings.Fields(string(m[1])) {
			classes[c] = true
		}
	}
	tags := map[string]bool{}
	for _, m := range regexp.MustCompile(`<([a-z0-9]+)[ >]`).FindAllSubmatch(specimen, -1) {
		tags[string(m[1])] = true
	}
	rule := regexp.MustCompile(`(?s)([^{}]+)\{([^{}]*)\}`)
	typeful := regexp.MustCompile(`(^|[;\s])font(-size|-weight|-family)?\s*:`)
	selectorPart := regexp.MustCompile(`\.([a-zA-Z][\w-]*)|(?:^|[\s>+~,])([a-z][a-z0-9]*)`)
	checked := 0
	for _, css := range []string{filepath.Join("..", "..", "wasm", "sheet.css"), filepath.Join("..", "src", "pages.css")} {
		b, err := os.ReadFile(css)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rule.FindAllSubmatch(regexp.MustCompile(`(?s)/\*.*?\*/`).ReplaceAll(b, nil), -1) {
			if !typeful.Match(r[2]) || strings.Contains(string(r[1]), "@") {
				continue
			}
			for _, sel := range strings.Split(string(r[1]), ",") {
				for _, p := range selectorPart.FindAllStringSubmatch(strings.TrimSpace(sel), -1) {
					checked++
					if p[1] != "" && !classes[p[1]] {
						t.Errorf("%s: %q gives type, and the specimen has no class %q", filepath.Base(css), strings.TrimSpace(sel), p[1])
					}
					if p[2] != "" && !tags[p[2]] {
						t.Errorf("%s: %q gives type, and the specimen has no <%s>", filepath.Base(css), strings.TrimSpace(sel), p[2])
					}
				}
			}
		}
	}
	if checked < 20 {
		t.Errorf("only %d selectors checked: the stylesheets were not read", checked)
	}
}

func TestBuildFailsClearlyWithoutTheSheet(t *testing.T) {
	// A repository with the extension's sources but no wasm/.
	fake := t.TempDir()
	if err := os.Symlink(filepath.Join(buildtest.RepoRoot(t), "extension"), filepath.Join(fake, "extension")); err != nil {
		t.Fatal(err)
	}
	_, err := Build(context.Background(), Options{Root: fake, Out: t.TempDir(), Browser: manifesttemplates.Chromium})
	if err == nil || !strings.Contains(err.Error(), wasmbuild.Modules[0].Package) {
		t.Fatalf("Build without the sheet: err = %v, want one naming %s", err, wasmbuild.Modules[0].Package)
	}
}

func TestBuildRefusesAnUnknownBrowser(t *testing.T) {
	if _, err := Build(context.Background(), Options{Root: buildtest.RepoRoot(t), Out: t.TempDir(), Browser: "safari"}); err == nil {
		t.Fatal("built for safari")
	}
}

// The pages build DOM nodes with createElement and textContent; parsing
// HTML from strings is how text from a site or a card would become markup.
func TestSourcesNeverParseHTMLFromStrings(t *testing.T) {
	banned := regexp.MustCompile(`\.(innerHTML|outerHTML|insertAdjacentHTML)\b|document\.write|createContextualFragment|DOMParser`)
	src := filepath.Join(buildtest.RepoRoot(t), "extension", "src")
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".js") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if loc := banned.FindIndex(b); loc != nil {
			t.Errorf("%s: %s", path, b[loc[0]:loc[1]])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestOnboardingCarriesTheDoctorsSentences checks that the build wrote the
// doctor's sentences for a missing, incompatible or failing host (package
// installer/findings, the one catalog) into the onboarding page's bundle,
// and nowhere else.
func TestOnboardingCarriesTheDoctorsSentences(t *testing.T) {
	r, _ := buildFor(t, manifesttemplates.Chromium)
	onboarding, err := os.ReadFile(filepath.Join(r.Dir, "onboarding.js"))
	if err != nil {
		t.Fatal(err)
	}
	c := findings.Onboarding()
	for _, state := range []string{findings.StateMissing, findings.StateVersion, findings.StateExited} {
		if len(c.States[state]) == 0 {
			t.Errorf("no findings for the host state %q", state)
		}
	}
	for code, tmpl := range c.Findings {
		m, _ := findings.Lookup(code)
		if tmpl.Status != m.Status {
			t.Errorf("%s: status %s, the doctor's %s", code, tmpl.Status, m.Status)
		}
		for _, s := range []string{tmpl.Ja, tmpl.En} {
			if !strings.Contains(string(onboarding), s) {
				t.Errorf("onboarding.js lacks %s's sentence %q", code, s)
			}
		}
	}
	for name := range r.Files {
		if !strings.HasSuffix(name, ".js") || name == "onboarding.js" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(r.Dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), c.Findings[findings.ManifestMissing].En) {
			t.Errorf("%s carries the findings too: only the onboarding page needs them", name)
		}
	}
	if b, err := FindingsJSON(); err != nil || !json.Valid(b) {
		t.Errorf("FindingsJSON: %v %s", err, b)
	}
}

var update = flag.Bool("update", false, "rewrite "+HostCodesFile+" from host/failure")

func TestHostCodesFileIsGenerated(t *testing.T) {
	path := filepath.Join(buildtest.RepoRoot(t), filepath.FromSlash(HostCodesFile))
	if *update {
		if err := os.WriteFile(path, HostCodesJS(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := checkHostCodes(buildtest.RepoRoot(t)); err != nil {
		t.Fatal(err)
	}
}

// The extension refuses origins longer than the sheet and the login token
// do, and no shorter ones.
func TestTheExtensionsOriginLimitIsTheSheets(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(buildtest.RepoRoot(t), "extension", "src", "lib", "params.js"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`export const MAX_ORIGIN_LENGTH = (\d+);`).FindSubmatch(src)
	if m == nil {
		t.Fatal("params.js has no MAX_ORIGIN_LENGTH")
	}
	if got, want := string(m[1]), strconv.Itoa(origin.MaxLength); got != want {
		t.Errorf("params.js MAX_ORIGIN_LENGTH = %s, origin.MaxLength = %s", got, want)
	}
}
