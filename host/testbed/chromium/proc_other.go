//go:build !linux

package chromium

// needsDisplayEnv reports whether a visible window needs DISPLAY or
// WAYLAND_DISPLAY: not on Windows, nor on macOS.
func needsDisplayEnv() bool { return false }

// killLeftovers is a no-op where there is no /proc to find the browser's
// children by their command line; chromedp kills the browser itself.
func killLeftovers(profile string) {}
