package findings

import (
	"fmt"
	"regexp"
)

// The host states the extension's service worker reports to its pages
// (extension/README.md, port "status") when it cannot use the host.
const (
	StateMissing = "missing" // the browser could not start the host, or it left before hello
	StateVersion = "version" // the host speaks another protocol version
	StateExited  = "exited"  // the host stopped after hello
)

// onboardingCodes are the findings the onboarding page can show for each
// host state: the doctor's findings that explain it. The page cannot look
// at the manifests as the doctor does; when the browser's error names the
// cause it shows that finding only, otherwise all of the state's.
var onboardingCodes = map[string][]string{
	StateMissing: {ManifestMissing, HostBinaryMissing, ExtensionNotAllowed},
	StateVersion: {VersionMismatch},
	StateExited:  {HostNotWorking},
}

// onboardingArgs names the arguments of each finding the page shows, in
// the order its sentences take them. The page fills them in: "browser" is
// its words for "this browser", "extensionId" its own id, "hostVersion"
// and "extensionVersion" the versions it knows.
var onboardingArgs = map[string][]string{
	ManifestMissing:     {"browser"},
	HostBinaryMissing:   {"browser"},
	ExtensionNotAllowed: {"browser", "extensionId"},
	VersionMismatch:     {"hostVersion", "extensionVersion"},
	HostNotWorking:      nil,
}

// Template is a finding's two sentences with "{name}" where the page puts
// the value of the argument name.
type Template struct {
	Status Status `json:"status"`
	Ja     string `json:"ja"`
	En     string `json:"en"`
}

// OnboardingCatalog is what the extension's build writes into the
// onboarding page's bundle (as the module mynaconnect:findings).
type OnboardingCatalog struct {
	// States maps a host state to the codes of the findings that explain
	// it, most likely first.
	States map[string][]string `json:"states"`
	// Findings maps each of those codes to its sentences.
	Findings map[string]Template `json:"findings"`
}

// Onboarding returns the catalog of the onboarding page: the doctor's own
// sentences for the host states, with named placeholders for their
// arguments.
func Onboarding() OnboardingCatalog {
	c := OnboardingCatalog{States: map[string][]string{}, Findings: map[string]Template{}}
	for state, codes := range onboardingCodes {
		c.States[state] = append([]string(nil), codes...)
		for _, code := range codes {
			c.Findings[code] = template(code)
		}
	}
	return c
}

func template(code string) Template {
	m, ok := messages[code]
	if !ok {
		panic("findings: no message for " + code)
	}
	names, ok := onboardingArgs[code]
	if !ok {
		panic("findings: the onboarding page's arguments of " + code + " are not named")
	}
	args := make([]any, len(names))
	for i, n := range names {
		args[i] = "{" + n + "}"
	}
	ja, en := m.Format(args...)
	return Template{Status: m.Status, Ja: ja, En: en}
}

var placeholder = regexp.MustCompile(`\{([A-Za-z]+)\}`)

// Fill puts values into the sentence of lang ("ja" or "en") the way the
// onboarding page does: every {name} becomes values[name], or "?" when the
// page does not know it, and a sentence that then starts with a lower-case
// letter ("this browser's registration ...") starts with a capital. Tests
// use it to check the page against the doctor.
func (t Template) Fill(lang string, values map[string]string) string {
	s := t.Ja
	if lang == "en" {
		s = t.En
	}
	s = placeholder.ReplaceAllStringFunc(s, func(p string) string {
		if v, ok := values[p[1:len(p)-1]]; ok {
			return v
		}
		return "?"
	})
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		s = string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

// String is for test failures.
func (t Template) String() string { return fmt.Sprintf("%s: %s / %s", t.Status, t.Ja, t.En) }
