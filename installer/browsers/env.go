package browsers

import (
	"fmt"

	"github.com/mynaconnect/mynaconnect/installer/ospath"
	manifesttemplates "github.com/mynaconnect/mynaconnect/manifest-templates"
)

// Env is what the locations depend on: the operating system and the
// directories its environment names. Empty optional fields take their
// defaults (XDG_CONFIG_HOME defaults to Home/.config, and so on).
type Env struct {
	OS   string // "linux", "darwin" or "windows"
	Home string // absolute

	// Linux. Chromium-family browsers put their user data directory (and
	// so NativeMessagingHosts) under $CHROME_CONFIG_HOME, else
	// $XDG_CONFIG_HOME, else ~/.config. Firefox always uses ~/.mozilla.
	XDGConfigHome    string
	XDGDataHome      string // where the user's host binary goes; ~/.local/share
	ChromeConfigHome string

	// Windows.
	LocalAppData    string // %LOCALAPPDATA%; Home\AppData\Local
	ProgramFiles    string // %ProgramFiles%; C:\Program Files
	ProgramFilesX86 string // %ProgramFiles(x86)%; C:\Program Files (x86)
}

// FromEnviron builds an Env for goos from a home directory and the process
// environment. Relative directories in the environment are ignored, as the
// XDG specification requires. When home is given explicitly (homeFlag),
// the per-user directories in the environment are ignored too: everything
// per-user is then derived from home, so that a test's temporary home (or a
// person's --home) cannot lead the installer into the real one.
func FromEnviron(goos, home string, homeFlag bool, getenv func(string) string) Env {
	e := Env{OS: goos, Home: home}
	abs := func(name string) string {
		v := getenv(name)
		if ok, _ := manifesttemplates.IsAbsFor(goos, v); ok {
			return v
		}
		return ""
	}
	if !homeFlag {
		e.XDGConfigHome = abs("XDG_CONFIG_HOME")
		e.XDGDataHome = abs("XDG_DATA_HOME")
		e.ChromeConfigHome = abs("CHROME_CONFIG_HOME")
		e.LocalAppData = abs("LOCALAPPDATA")
	}
	e.ProgramFiles = abs("ProgramFiles")
	e.ProgramFilesX86 = abs("ProgramFiles(x86)")
	return e
}

// ExampleEnv is an Env for planning an install on another operating system
// (a dry run with --os): the home directory is the usual one of a user
// named "you" there, and every other directory its default.
func ExampleEnv(goos string) Env {
	switch goos {
	case "darwin":
		return Env{OS: goos, Home: "/Users/you"}
	case "windows":
		return Env{OS: goos, Home: `C:\Users\you`}
	}
	return Env{OS: goos, Home: "/home/you"}
}

// check makes sure the locations can be computed.
func (e Env) check(scope Scope) error {
	switch e.OS {
	case "linux", "darwin", "windows":
	default:
		return fmt.Errorf("browsers: unsupported operating system %q (want linux, darwin or windows)", e.OS)
	}
	if scope != User && scope != System {
		return fmt.Errorf("browsers: unknown scope %q", scope)
	}
	if scope == User {
		if ok, _ := manifesttemplates.IsAbsFor(e.OS, e.Home); !ok {
			return fmt.Errorf("browsers: home directory %q is not an absolute %s path", e.Home, e.OS)
		}
	}
	return nil
}

func (e Env) join(elem ...string) string { return ospath.Join(e.OS, elem...) }

// chromeConfig is the directory holding Chromium-family user data
// directories on Linux.
func (e Env) chromeConfig() string {
	switch {
	case e.ChromeConfigHome != "":
		return e.ChromeConfigHome
	case e.XDGConfigHome != "":
		return e.XDGConfigHome
	}
	return e.join(e.Home, ".config")
}

// DataHome is the directory for the user's application data on Linux
// ($XDG_DATA_HOME or ~/.local/share).
func (e Env) DataHome() string {
	if e.XDGDataHome != "" {
		return e.XDGDataHome
	}
	return e.join(e.Home, ".local", "share")
}

// LocalAppDataDir is %LOCALAPPDATA% on Windows.
func (e Env) LocalAppDataDir() string {
	if e.LocalAppData != "" {
		return e.LocalAppData
	}
	return e.join(e.Home, "AppData", "Local")
}

// ProgramFilesDir is %ProgramFiles% on Windows.
func (e Env) ProgramFilesDir() string {
	if e.ProgramFiles != "" {
		return e.ProgramFiles
	}
	return `C:\Program Files`
}

func (e Env) programFilesX86Dir() string {
	if e.ProgramFilesX86 != "" {
		return e.ProgramFilesX86
	}
	return `C:\Program Files (x86)`
}
