// Package winreg sets and removes the Windows registry keys that tell
// browsers where the host manifest is. Registry is an interface so the
// installer's registry logic runs, in tests, on any operating system
// against Memory; System is the real registry on Windows (the only code
// behind a build tag) and an error everywhere else.
package winreg

import (
	"errors"
	"strings"

	"github.com/mynaconnect/mynaconnect/installer/browsers"
)

// ErrUnsupported is returned by System's registry off Windows.
var ErrUnsupported = errors.New("winreg: the Windows registry exists only on Windows")

// Registry is the part of the Windows registry the installer uses: the
// default value of keys below HKCU or HKLM.
type Registry interface {
	// Get returns the key's default value; ok is false when the key or
	// its default value does not exist.
	Get(k browsers.RegKey) (value string, ok bool, err error)
	// Set creates the key and any missing ancestors and sets its default
	// value. It returns the ancestors it created, shallowest first.
	Set(k browsers.RegKey, value string) (createdParents []string, err error)
	// Delete deletes the key, which must have no subkeys.
	Delete(k browsers.RegKey) error
	// DeleteIfEmpty deletes the key if it has no values and no subkeys,
	// and reports whether it did. A key that does not exist is not an
	// error.
	DeleteIfEmpty(k browsers.RegKey) (deleted bool, err error)
}

// ancestors returns the keys above path, shallowest first:
// a\b\c -> a, a\b.
func ancestors(path string) []string {
	parts := strings.Split(path, `\`)
	var out []string
	for i := 1; i < len(parts); i++ {
		out = append(out, strings.Join(parts[:i], `\`))
	}
	return out
}
