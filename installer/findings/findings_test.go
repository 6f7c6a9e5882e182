package findings

import (
	"encoding/json"
	"fmt"
	"go/build"
	"regexp"
	"strings"
	"testing"
)

func TestEveryMessageIsComplete(t *testing.T) {
	for _, key := range Keys() {
		m, _ := Lookup(key)
		if m.Status != OK && m.Status != Warn && m.Status != Fail {
			t.Errorf("%s: status %q", key, m.Status)
		}
		// Fill every verb with a placeholder: nothing may be left over or
		// missing, in either language.
		var args []any
		for _, verb := range regexp.MustCompile(`%[sd]`).FindAllString(m.En, -1) {
			if verb == "%d" {
				args = append(args, len(args)+2)
			} else {
				args = append(args, string(rune('X'+len(args))))
			}
		}
		ja, en := m.Format(args...)
		for _, s := range []string{ja, en} {
			if strings.Contains(s, "%!") {
				t.Errorf("%s: %q", key, s)
			}
		}
		if !strings.ContainsFunc(m.Ja, func(r rune) bool { return r >= 0x3040 }) {
			t.Errorf("%s: the Japanese sentence has no Japanese: %q", key, m.Ja)
		}
		if m.Status != OK && !strings.ContainsAny(m.En, ".") {
			t.Errorf("%s: %q says nothing to do", key, m.En)
		}
	}
	for _, code := range []string{PCSCDNotRunning, NoReader, NoCard, NotMyNumberCard, PINBlocked,
		PINLastTry, ManifestMissing, HostBinaryMissing, ExtensionNotAllowed, VersionMismatch} {
		if _, ok := Lookup(code); !ok {
			t.Errorf("no message for %s", code)
		}
	}
	if m, _ := Lookup(PCSCDNotRunning); !strings.Contains(m.Ja, "sudo systemctl start pcscd.socket") {
		t.Errorf("PCSCD_NOT_RUNNING does not say how to start it: %q", m.Ja)
	}
	if m, _ := Lookup(PINBlocked); !strings.Contains(m.Ja, "市区町村の窓口") {
		t.Errorf("PIN_BLOCKED does not send people to the municipal office: %q", m.Ja)
	}
}

// TestOnboardingSentencesAreTheDoctors checks that the onboarding page's
// sentences, filled in as the page fills them, are exactly what the doctor
// says for the same arguments.
func TestOnboardingSentencesAreTheDoctors(t *testing.T) {
	c := Onboarding()
	want := map[string][]string{
		StateMissing: {ManifestMissing, HostBinaryMissing, ExtensionNotAllowed},
		StateVersion: {VersionMismatch},
		StateExited:  {HostNotWorking},
	}
	if fmt.Sprint(c.States) != fmt.Sprint(want) {
		t.Errorf("states %v, want %v", c.States, want)
	}
	values := map[string]string{"browser": "Chromium", "extensionId": "bmkkgipakkhfkoeogfafddcmkccnfbpk", "hostVersion": "0.2.0", "extensionVersion": "0.1.0"}
	for code, tmpl := range c.Findings {
		m, _ := Lookup(code)
		var args []any
		for _, n := range onboardingArgs[code] {
			args = append(args, values[n])
		}
		ja, en := m.Format(args...)
		if got := tmpl.Fill("ja", values); got != ja {
			t.Errorf("%s ja: the page says\n  %s\nthe doctor\n  %s", code, got, ja)
		}
		if got := tmpl.Fill("en", values); got != en {
			t.Errorf("%s en: the page says\n  %s\nthe doctor\n  %s", code, got, en)
		}
		if tmpl.Status != m.Status {
			t.Errorf("%s: status %s, the doctor's %s", code, tmpl.Status, m.Status)
		}
		for _, s := range []string{tmpl.Ja, tmpl.En} {
			if strings.Contains(s, "%") {
				t.Errorf("%s: an unfilled verb in %q", code, s)
			}
		}
	}
	// What the page says when it does not know a value, and at the start
	// of a sentence.
	tmpl := c.Findings[ExtensionNotAllowed]
	if got := tmpl.Fill("en", map[string]string{"browser": "this browser"}); !strings.HasPrefix(got, "This browser's registration does not allow the MynaConnect extension (id ?).") {
		t.Errorf("filled: %q", got)
	}
	if _, err := json.Marshal(c); err != nil {
		t.Fatal(err)
	}
}

// TestImportsNoPCSC keeps the package pure: the extension's build imports it.
func TestImportsNoPCSC(t *testing.T) {
	p, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range p.Imports {
		if strings.Contains(imp, "/") || imp == "C" {
			t.Errorf("findings imports %s: it must stay pure Go with the standard library only", imp)
		}
	}
}
