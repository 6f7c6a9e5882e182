// Package doctor diagnoses why MynaConnect does not work on this machine:
// the PC/SC service, the card reader, the card and its PIN, and for each
// browser the host manifest, the host binary it names, the extension it
// allows and whether that host speaks the extension's protocol, and the
// Ethereum networks the host is configured for (chains.go). Every
// finding has a stable code, a status and a plain sentence in Japanese and
// in English that says what to do.
//
// The card checks talk to PC/SC directly (package pcsc, and package jpki
// for the card), not through the installed host. The card half of the
// diagnosis must work exactly when the host half is broken (no host
// installed, a manifest naming a missing binary), which is when people run
// the doctor; and a direct check is synchronous, where the host identifies
// a card in the background after it appears. The installed host is still
// run, once per distinct binary, for the handshake a browser would make.
package doctor

import (
	"context"
	"time"

	"github.com/mynaconnect/mynaconnect/host/account/deployment"
	"github.com/mynaconnect/mynaconnect/installer/browsers"
	"github.com/mynaconnect/mynaconnect/installer/findings"
	"github.com/mynaconnect/mynaconnect/installer/winreg"
	manifesttemplates "github.com/mynaconnect/mynaconnect/manifest-templates"
)

// ExtensionVersion is the extension version this doctor checks the host
// against, sent in hello as the extension sends it. It is
// extension/build.Version (a test keeps them equal); the doctor does not
// import the build program, which would bring esbuild into its binary.
const ExtensionVersion = "0.1.0"

// Status says how bad a finding is (package findings defines it, with the
// sentences).
type Status = findings.Status

const (
	OK   = findings.OK   // works
	Warn = findings.Warn // works, but needs attention (no card yet, one PIN try left)
	Fail = findings.Fail // MynaConnect cannot work until this is fixed
)

// worse reports whether s is worse than than.
func worse(s, than Status) bool {
	rank := map[Status]int{OK: 0, Warn: 1, Fail: 2}
	return rank[s] > rank[than]
}

// Finding is one result of the diagnosis.
type Finding struct {
	Code    string `json:"code"`
	Status  Status `json:"status"`
	Subject string `json:"subject,omitempty"` // the reader, browser or binary it is about
	Ja      string `json:"ja"`
	En      string `json:"en"`
	Detail  string `json:"detail,omitempty"` // for support: a path, an error
}

// Report is the whole diagnosis, findings in the order they were checked.
type Report struct {
	Status   Status    `json:"status"` // the worst finding's
	Findings []Finding `json:"findings"`
}

// Has reports whether a finding with this code is in the report.
func (r Report) Has(code string) bool {
	for _, f := range r.Findings {
		if f.Code == code {
			return true
		}
	}
	return false
}

// Config says what to check and how. Zero fields take their defaults.
type Config struct {
	// Env locates the browsers' manifests (the person's home, etc.).
	Env browsers.Env
	// ExtensionIDs must all be allowed by Chrome-family manifests
	// (default: manifesttemplates.PublishedExtensionIDs, or the development
	// id while none is published); AddonID by Firefox's (default:
	// manifesttemplates.GeckoID). A manifest that allows the development id
	// is reported whatever ExtensionIDs says (DEVELOPMENT_EXTENSION_ALLOWED).
	ExtensionIDs []string
	AddonID      string
	// ExtensionVersion is sent in hello (default: ExtensionVersion).
	ExtensionVersion string
	// PCSC reaches the card readers (default: SystemPCSC{}).
	PCSC PCSC
	// PCSCDInstalled reports whether the pcscd program is installed, to
	// tell "not installed" from "not running" on Linux (default: looks
	// for it).
	PCSCDInstalled func() bool
	// Exists detects browsers (default: browsers.OnDisk).
	Exists func(string) bool
	// Registry is read for the manifests' keys on Windows (default:
	// winreg.System()).
	Registry winreg.Registry
	// HostTimeout bounds starting the host and its hello (default 15 s).
	HostTimeout time.Duration
	// ChainsPath is the chain configuration whose networks are checked (the
	// command passes chainconfig.DefaultPath(), the host's); empty leaves
	// the networks out.
	ChainsPath string
	// ChainTimeout bounds the checks of one network (default 15 s).
	ChainTimeout time.Duration
}

func (c *Config) defaults() {
	if len(c.ExtensionIDs) == 0 {
		c.ExtensionIDs = manifesttemplates.PublishedExtensionIDs
	}
	if len(c.ExtensionIDs) == 0 {
		c.ExtensionIDs = []string{manifesttemplates.DevelopmentExtensionID()}
	}
	if c.AddonID == "" {
		c.AddonID = manifesttemplates.GeckoID
	}
	if c.ExtensionVersion == "" {
		c.ExtensionVersion = ExtensionVersion
	}
	if c.PCSC == nil {
		c.PCSC = SystemPCSC{}
	}
	if c.PCSCDInstalled == nil {
		c.PCSCDInstalled = pcscdInstalled
	}
	if c.Exists == nil {
		c.Exists = browsers.OnDisk
	}
	if c.Registry == nil {
		c.Registry = winreg.System()
	}
	if c.HostTimeout == 0 {
		c.HostTimeout = 15 * time.Second
	}
	if c.ChainTimeout == 0 {
		c.ChainTimeout = 15 * time.Second
	}
}

// Run diagnoses, in order: the PC/SC service, the readers, the cards and
// their auth PIN, then each browser's manifest and the host it names, the
// host's handshake, and last the Ethereum networks the host is configured
// for. A check whose premise failed (no reader
// without a service) is left out rather than reported as a second failure.
func Run(ctx context.Context, cfg Config) Report {
	cfg.defaults()
	var r Report
	add := func(fs ...Finding) { r.Findings = append(r.Findings, fs...) }
	add(checkCards(cfg)...)
	manifests, fs := checkBrowsers(cfg)
	add(fs...)
	add(checkHosts(ctx, cfg, manifests)...)
	if cfg.ChainsPath != "" {
		add(checkChains(ctx, cfg.ChainsPath, cfg.ChainTimeout, deployment.Published)...)
	}
	r.Status = OK
	for _, f := range r.Findings {
		if worse(f.Status, r.Status) {
			r.Status = f.Status
		}
	}
	return r
}
