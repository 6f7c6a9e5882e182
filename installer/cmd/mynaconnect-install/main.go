// Command mynaconnect-install installs the MynaConnect native messaging
// host for the browsers on this machine, and uninstalls it. Run it with
// --help for the details.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/mynaconnect/mynaconnect/installer/apply"
	"github.com/mynaconnect/mynaconnect/installer/browsers"
	"github.com/mynaconnect/mynaconnect/installer/ospath"
	"github.com/mynaconnect/mynaconnect/installer/plan"
	"github.com/mynaconnect/mynaconnect/installer/winreg"
	manifesttemplates "github.com/mynaconnect/mynaconnect/manifest-templates"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

// list is a repeatable string flag.
type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(v string) error { *l = append(*l, v); return nil }

type options struct {
	host, home, goos                       string
	homeSet, dryRun, uninstall, system     bool
	allBrowsers, development               bool
	extensionIDs, browserIDs, userDataDirs list
	allowed                                []string // the extension ids the manifests allow (allowedExtensions)
}

func run(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	var o options
	fs := flag.NewFlagSet("mynaconnect-install", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.host, "host", "", "")
	fs.StringVar(&o.home, "home", "", "")
	fs.StringVar(&o.goos, "os", runtime.GOOS, "")
	fs.BoolVar(&o.dryRun, "dry-run", false, "")
	fs.BoolVar(&o.uninstall, "uninstall", false, "")
	fs.BoolVar(&o.system, "system", false, "")
	fs.BoolVar(&o.allBrowsers, "all-browsers", false, "")
	fs.BoolVar(&o.development, "development-extension", false, "")
	fs.Var(&o.extensionIDs, "extension-id", "")
	fs.Var(&o.browserIDs, "browser", "")
	fs.Var(&o.userDataDirs, "user-data-dir", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, helpText)
			return 0
		}
		fmt.Fprintf(stderr, "mynaconnect-install: %v\nRun mynaconnect-install --help for usage.\n", err)
		return 2
	}
	fs.Visit(func(f *flag.Flag) { o.homeSet = o.homeSet || f.Name == "home" })
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "mynaconnect-install: unexpected argument %q\nRun mynaconnect-install --help for usage.\n", fs.Arg(0))
		return 2
	}
	if err := o.check(); err != nil {
		fmt.Fprintf(stderr, "mynaconnect-install: %v\nRun mynaconnect-install --help for usage.\n", err)
		return 2
	}
	env, err := o.env(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "mynaconnect-install: %v\n", err)
		return 1
	}
	scope := browsers.User
	if o.system {
		scope = browsers.System
	}
	if o.uninstall {
		return uninstall(env, scope, o, stdout, stderr)
	}
	return install(env, scope, o, stdout, stderr)
}

func (o *options) check() error {
	switch o.goos {
	case "linux", "darwin", "windows":
	default:
		return fmt.Errorf("--os %q: want linux, darwin or windows", o.goos)
	}
	if o.goos != runtime.GOOS && !o.dryRun {
		return fmt.Errorf("--os %s can only plan (--dry-run): this machine runs %s", o.goos, runtime.GOOS)
	}
	if o.uninstall && (o.host != "" || len(o.extensionIDs) > 0 || o.development || len(o.browserIDs) > 0 || o.allBrowsers || len(o.userDataDirs) > 0) {
		return errors.New("--uninstall removes what the install record lists; it takes no --host, --extension-id, --development-extension, --browser, --all-browsers or --user-data-dir")
	}
	for _, id := range o.extensionIDs {
		if !manifesttemplates.ValidExtensionID(id) {
			return fmt.Errorf("--extension-id %q: a Chromium extension id is 32 letters a to p (see chrome://extensions)", id)
		}
	}
	for _, id := range o.browserIDs {
		if _, ok := browsers.Lookup(browsers.ID(id)); !ok {
			return fmt.Errorf("--browser %q: want one of chrome, chromium, edge, brave, vivaldi, firefox", id)
		}
	}
	if !o.uninstall {
		var err error
		if o.allowed, err = o.allowedExtensions(); err != nil {
			return err
		}
	}
	return nil
}

// allowedExtensions are the Chromium extension ids the manifests allow: the
// published ones, those named with --extension-id, and the development id
// only with --development-extension. The development id comes from a key
// anyone can copy, so it is never allowed by default.
func (o *options) allowedExtensions() ([]string, error) {
	ids := append(slices.Clone(manifesttemplates.PublishedExtensionIDs), o.extensionIDs...)
	if o.development {
		ids = append(ids, manifesttemplates.DevelopmentExtensionID())
	}
	if len(ids) == 0 {
		return nil, errors.New("no extension to allow: MynaConnect's extension is not in a store yet. " +
			"Pass --extension-id ID (see chrome://extensions), or --development-extension for the unpacked build from this repository")
	}
	var unique []string
	for _, id := range ids {
		if !slices.Contains(unique, id) {
			unique = append(unique, id)
		}
	}
	return unique, nil
}

// env is the environment the plan is computed for: this machine's, or an
// example one when planning for another operating system.
func (o *options) env(getenv func(string) string) (browsers.Env, error) {
	if o.goos != runtime.GOOS {
		env := browsers.ExampleEnv(o.goos)
		if o.homeSet {
			env.Home = o.home
		}
		return env, nil
	}
	home := o.home
	if !o.homeSet {
		h, err := os.UserHomeDir()
		if err != nil && !o.system {
			return browsers.Env{}, fmt.Errorf("no home directory (%v): pass --home", err)
		}
		home = h
	} else if abs, err := filepath.Abs(home); err == nil {
		home = abs
	}
	if !o.system {
		// A home that is not there is a typo, not a place to create.
		if fi, err := os.Stat(home); err != nil || !fi.IsDir() {
			return browsers.Env{}, fmt.Errorf("home directory %s does not exist", home)
		}
	}
	return browsers.FromEnviron(o.goos, home, o.homeSet, getenv), nil
}

func install(env browsers.Env, scope browsers.Scope, o options, stdout, stderr io.Writer) int {
	local := env.OS == runtime.GOOS
	fmt.Fprintf(stdout, "MynaConnect install for %s, %s\n", describe(env, scope), mode(o.dryRun))
	ids := []browsers.ID{}
	switch {
	case len(o.browserIDs) > 0:
		for _, id := range o.browserIDs {
			ids = append(ids, browsers.ID(id))
		}
	case o.allBrowsers || !local:
		for _, b := range browsers.All() {
			ids = append(ids, b.ID)
		}
		if !local && !o.allBrowsers {
			fmt.Fprintf(stdout, "Planning for %s from %s: browsers cannot be detected, so every browser is listed.\n", env.OS, runtime.GOOS)
		}
	default:
		found, sandboxed := browsers.Detect(env, browsers.OnDisk)
		ids = report(stdout, found, sandboxed)
	}

	host, err := hostSource(o.host, env.OS)
	if err != nil && local {
		fmt.Fprintf(stderr, "mynaconnect-install: %v\n", err)
		return 1
	}
	if !local && host == "" {
		// Nothing is copied in a plan for another system: show the name.
		host = ospath.Exe(env.OS, plan.HostBinary) + " (next to mynaconnect-install)"
	}
	extIDs := o.allowed
	if o.development {
		fmt.Fprintf(stdout, "Allowing the development extension id %s: any unpacked extension that copies the repository's key gets it.\n"+
			"Install again without --development-extension once you use the extension from the store.\n", manifesttemplates.DevelopmentExtensionID())
	}
	var profiles []string
	for _, d := range o.userDataDirs {
		if local {
			if abs, err := filepath.Abs(d); err == nil {
				d = abs
			}
		}
		profiles = append(profiles, d)
	}
	p, err := plan.Compute(plan.Input{
		Env: env, Scope: scope, Browsers: ids, UserDataDirs: profiles, HostSource: host,
		ExtensionIDs: extIDs, AddonIDs: []string{manifesttemplates.GeckoID},
	})
	if err != nil {
		fmt.Fprintf(stderr, "mynaconnect-install: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "Host: %s\nExtension ids allowed: %s (Chromium family), %s (Firefox)\n\n",
		p.HostPath, strings.Join(extIDs, ", "), manifesttemplates.GeckoID)

	if !local {
		for _, r := range apply.Preview(p) {
			fmt.Fprintln(stdout, r)
		}
		fmt.Fprintln(stdout, "\nDry run: nothing was changed.")
		return 0
	}
	results, err := apply.Install(p, apply.Options{
		DryRun:   o.dryRun,
		Registry: winreg.System(),
		Report:   func(r apply.Result) { fmt.Fprintln(stdout, r) },
	})
	if err != nil {
		fmt.Fprintf(stderr, "mynaconnect-install: %v%s\n", err, permissionHint(err, scope))
		return 1
	}
	fmt.Fprintf(stdout, "\n%s\n", summary(results, o.dryRun))
	if !o.dryRun {
		fmt.Fprint(stdout, "Next: load the MynaConnect extension in your browser (restart the browser if it was\n"+
			"running), then run \"mynaconnect doctor\" to check the card reader, the card and the setup.\n")
	}
	return 0
}

// report prints which browsers were found and warns about the sandboxed
// ones, returning those to write manifests for.
func report(w io.Writer, found []browsers.Found, sandboxed []browsers.Sandboxed) []browsers.ID {
	ids := []browsers.ID{}
	fmt.Fprintln(w, "Browsers found:")
	for _, f := range found {
		fmt.Fprintf(w, "  %-15s (%s)\n", f.Browser.Name(), f.Evidence)
		ids = append(ids, f.Browser)
	}
	if len(found) == 0 {
		fmt.Fprintln(w, "  none. Only the host is installed; name a browser with --browser, or use --all-browsers.")
	}
	var missing []string
	for _, b := range browsers.All() {
		if !slices.Contains(ids, b.ID) {
			missing = append(missing, b.Name)
		}
	}
	if len(missing) > 0 && len(found) > 0 {
		fmt.Fprintf(w, "Not found: %s (--all-browsers writes their manifests too).\n", strings.Join(missing, ", "))
	}
	for _, s := range sandboxed {
		fmt.Fprintf(w, "WARNING: %s\n", s.Warning())
	}
	return ids
}

// hostSource is the host binary to install: --host, else the one next to
// this program (dist/bin/ in the source tree, the archive's folder in a
// release), else dist/bin/ below the working directory.
func hostSource(flagValue, goos string) (string, error) {
	name := ospath.Exe(goos, plan.HostBinary)
	if flagValue != "" {
		abs, err := filepath.Abs(flagValue)
		if err != nil {
			return "", fmt.Errorf("--host %s: %w", flagValue, err)
		}
		return abs, nil
	}
	var tried []string
	if exe, err := os.Executable(); err == nil {
		tried = append(tried, filepath.Join(filepath.Dir(exe), name))
	}
	if wd, err := os.Getwd(); err == nil {
		tried = append(tried, filepath.Join(wd, "dist", "bin", name))
	}
	for _, p := range tried {
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p, nil
		}
	}
	return "", fmt.Errorf("no host binary found (looked at %s): run \"make build\" first, or name it with --host",
		strings.Join(tried, " and "))
}

func uninstall(env browsers.Env, scope browsers.Scope, o options, stdout, stderr io.Writer) int {
	recordPath, err := plan.RecordPath(env, scope)
	if err != nil {
		fmt.Fprintf(stderr, "mynaconnect-install: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "MynaConnect uninstall for %s, %s\nInstall record: %s\n\n", describe(env, scope), mode(o.dryRun), recordPath)
	if env.OS != runtime.GOOS {
		fmt.Fprintf(stdout, "Planning for %s from %s: an uninstall removes what the install record on that machine lists.\n", env.OS, runtime.GOOS)
		return 0
	}
	results, err := apply.Uninstall(recordPath, apply.Options{
		DryRun:   o.dryRun,
		Registry: winreg.System(),
		Report:   func(r apply.Result) { fmt.Fprintln(stdout, r) },
	})
	if err != nil {
		fmt.Fprintf(stderr, "mynaconnect-install: %v%s\n", err, permissionHint(err, scope))
		return 1
	}
	fmt.Fprintf(stdout, "\n%s\n", summary(results, o.dryRun))
	for _, r := range results {
		if r.Warn {
			fmt.Fprintf(stderr, "mynaconnect-install: left in place: %s: %s\n", r.Target, r.Note)
		}
	}
	for _, r := range results {
		if r.Warn {
			return 1
		}
	}
	return 0
}

func describe(env browsers.Env, scope browsers.Scope) string {
	if scope == browsers.System {
		return env.OS + ", every user of this machine (--system)"
	}
	return fmt.Sprintf("%s, the user with home %s", env.OS, env.Home)
}

func mode(dryRun bool) string {
	if dryRun {
		return "dry run: nothing will be changed"
	}
	return "for real"
}

func summary(results []apply.Result, dryRun bool) string {
	count := map[apply.Status]int{}
	var order []apply.Status
	for _, r := range results {
		if count[r.Status] == 0 {
			order = append(order, r.Status)
		}
		count[r.Status]++
	}
	var parts []string
	for _, s := range order {
		parts = append(parts, fmt.Sprintf("%d %s", count[s], s))
	}
	s := "Done: " + strings.Join(parts, ", ") + "."
	if dryRun {
		s = "Dry run, nothing was changed: " + strings.Join(parts, ", ") + "."
	}
	return s
}

func permissionHint(err error, scope browsers.Scope) string {
	if !errors.Is(err, fs.ErrPermission) {
		return ""
	}
	if scope == browsers.System {
		return "\n--system writes where only root (an administrator on Windows) may: run it with sudo, or as administrator."
	}
	return "\nA per-user install should not need privileges: check who owns the directory above."
}
