package doctor

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"slices"

	"github.com/mynaconnect/mynaconnect/installer/browsers"
	"github.com/mynaconnect/mynaconnect/installer/ospath"
	manifesttemplates "github.com/mynaconnect/mynaconnect/manifest-templates"
)

// hostRef is a host binary some browser's manifest names, with the
// arguments that browser starts it with.
type hostRef struct {
	path     string
	args     []string
	browsers []string
}

// checkBrowsers checks, for every browser found, that a host manifest is
// where the browser looks, that it names an existing executable and that
// it allows the extension. It returns the host binaries worth a handshake.
func checkBrowsers(cfg Config) ([]hostRef, []Finding) {
	var out []Finding
	found, sandboxed := browsers.Detect(cfg.Env, cfg.Exists)
	for _, s := range sandboxed {
		out = append(out, finding(CodeBrowserSandboxed, s.Browser.Name(), s.Evidence, s.Browser.Name(), s.Kind))
	}
	if len(found) == 0 {
		return nil, append(out, finding(CodeNoBrowser, "", ""))
	}
	var hosts []hostRef
	for _, f := range found {
		b, _ := browsers.Lookup(f.Browser)
		fs, host := checkBrowser(cfg, b)
		out = append(out, fs...)
		if host == nil {
			continue
		}
		merged := false
		for i := range hosts {
			if hosts[i].path == host.path {
				hosts[i].browsers = append(hosts[i].browsers, b.Name)
				merged = true
			}
		}
		if !merged {
			hosts = append(hosts, *host)
		}
	}
	return hosts, out
}

func checkBrowser(cfg Config, b browsers.Browser) ([]Finding, *hostRef) {
	file, detail := locate(cfg, b.ID)
	if file == "" {
		return []Finding{finding(CodeManifestMissing, b.Name, detail, b.Name)}, nil
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		return []Finding{finding(CodeManifestMissing, b.Name, fmt.Sprintf("%s: %v", detail, err), b.Name)}, nil
	}
	m, err := manifesttemplates.ParseHost(raw)
	if err != nil {
		return []Finding{finding(CodeManifestInvalid, b.Name, fmt.Sprintf("%s: %v", file, err), b.Name)}, nil
	}

	var out []Finding
	var host *hostRef
	switch err := executable(cfg.Env.OS, m.Path); {
	case errors.Is(err, fs.ErrNotExist):
		out = append(out, finding(CodeHostBinaryMissing, b.Name, fmt.Sprintf("%s names %s: %v", file, m.Path, err), b.Name))
	case err != nil:
		out = append(out, finding(CodeHostNotExecutable, b.Name, fmt.Sprintf("%s names %s: %v", file, m.Path, err), b.Name))
	default:
		host = &hostRef{path: m.Path, browsers: []string{b.Name}}
	}

	if b.Family == browsers.FirefoxFamily {
		if !m.AllowsFirefoxAddon(cfg.AddonID) {
			out = append(out, finding(CodeExtensionNotAllow, b.Name, fmt.Sprintf("%s allows %q", file, m.AllowedExtensions), b.Name, cfg.AddonID))
		}
		if host != nil {
			// Firefox passes the manifest's path and the add-on id.
			host.args = []string{file, cfg.AddonID}
		}
	} else {
		for _, id := range cfg.ExtensionIDs {
			if !m.AllowsChromeExtension(id) {
				out = append(out, finding(CodeExtensionNotAllow, b.Name, fmt.Sprintf("%s allows %q", file, m.AllowedOrigins), b.Name, id))
			}
		}
		if dev := manifesttemplates.DevelopmentExtensionID(); m.AllowsChromeExtension(dev) {
			// Its key is in the repository: any unpacked extension can
			// take the id and ask this host for logins.
			out = append(out, finding(CodeDevelopmentExtension, b.Name, fmt.Sprintf("%s allows %q", file, m.AllowedOrigins), b.Name, dev))
		}
		if host != nil {
			host.args = []string{"chrome-extension://" + cfg.ExtensionIDs[0] + "/"}
		}
	}
	// The development id's warning does not stop the manifest from working.
	if !slices.ContainsFunc(out, func(f Finding) bool { return f.Status == Fail }) {
		out = append(out, finding(CodeManifestOK, b.Name, file, b.Name))
	}
	return out, host
}

// locate finds the manifest browser id reads: per user first, then
// system-wide, as the browsers look. On Windows a registry key names the
// file. It returns "" and where it looked when there is none.
func locate(cfg Config, id browsers.ID) (file, looked string) {
	var tried []string
	for _, scope := range []browsers.Scope{browsers.User, browsers.System} {
		ts, err := browsers.Targets(cfg.Env, scope, id)
		if err != nil {
			tried = append(tried, err.Error())
			continue
		}
		for _, t := range ts {
			if cfg.Env.OS != "windows" {
				p := ospath.Join(cfg.Env.OS, t.Dir, browsers.ManifestFile)
				if _, err := os.Stat(p); err == nil {
					return p, p
				}
				tried = append(tried, p)
				continue
			}
			v, ok, err := cfg.Registry.Get(t.Key)
			switch {
			case err != nil:
				tried = append(tried, err.Error())
			case !ok:
				tried = append(tried, t.Key.String())
			default:
				if _, err := os.Stat(v); err != nil {
					tried = append(tried, fmt.Sprintf("%s names %s, which is missing", t.Key, v))
					continue
				}
				return v, t.Key.String()
			}
		}
	}
	return "", fmt.Sprintf("looked at %v", tried)
}

// executable checks that path names a program that can be started.
func executable(goos, path string) error {
	if ok, _ := manifesttemplates.IsAbsFor(goos, path); !ok {
		return fmt.Errorf("%q is not an absolute path: %w", path, fs.ErrNotExist)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a file", path)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o111 == 0 {
		return fmt.Errorf("%s is not executable (mode %v)", path, fi.Mode().Perm())
	}
	return nil
}
