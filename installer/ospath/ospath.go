// Package ospath joins and splits file paths by the rules of a named
// operating system rather than the one the program runs on. The installer
// plans Windows installs while running on Linux (a dry run, and the unit
// tests of every operating system's paths), which path/filepath cannot do:
// it only knows the build's own separator.
package ospath

import (
	"path"
	"strings"
)

// Join joins elements with goos's separator and cleans the result: "/" on
// linux and darwin, `\` on windows (where "/" in the input is read as `\`,
// as Windows itself does). A leading `\\` (a UNC path) is kept.
func Join(goos string, elem ...string) string {
	if goos != "windows" {
		return path.Join(elem...)
	}
	joined := strings.ReplaceAll(strings.Join(nonEmpty(elem), "/"), `\`, "/")
	unc := strings.HasPrefix(joined, "//")
	cleaned := path.Clean(joined)
	if unc {
		cleaned = "/" + cleaned
	}
	return strings.ReplaceAll(cleaned, "/", `\`)
}

func nonEmpty(elem []string) []string {
	var out []string
	for _, e := range elem {
		if e != "" {
			out = append(out, e)
		}
	}
	return out
}

// Dir returns all but the last element of p, by goos's rules.
func Dir(goos, p string) string {
	if goos != "windows" {
		return path.Dir(p)
	}
	i := strings.LastIndexAny(p, `\/`)
	if i < 0 {
		return "."
	}
	dir := p[:i]
	if len(dir) == 2 && dir[1] == ':' { // C:\x -> C:\, not C:
		return dir + `\`
	}
	return Join(goos, dir)
}

// Base returns the last element of p, by goos's rules.
func Base(goos, p string) string {
	if goos != "windows" {
		return path.Base(p)
	}
	return path.Base(strings.ReplaceAll(p, `\`, "/"))
}

// Exe returns name as an executable's file name on goos.
func Exe(goos, name string) string {
	if goos == "windows" {
		return name + ".exe"
	}
	return name
}
