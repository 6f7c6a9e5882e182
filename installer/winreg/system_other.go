//go:build !windows

package winreg

import "github.com/mynaconnect/mynaconnect/installer/browsers"

// System returns the machine's registry: on this operating system, one
// whose every call fails with ErrUnsupported. Plans for Linux and macOS
// contain no registry action, so an install never calls it.
func System() Registry { return unsupported{} }

type unsupported struct{}

func (unsupported) Get(browsers.RegKey) (string, bool, error)     { return "", false, ErrUnsupported }
func (unsupported) Set(browsers.RegKey, string) ([]string, error) { return nil, ErrUnsupported }
func (unsupported) Delete(browsers.RegKey) error                  { return ErrUnsupported }
func (unsupported) DeleteIfEmpty(browsers.RegKey) (bool, error)   { return false, ErrUnsupported }
