//go:build windows

package winreg

import (
	"errors"
	"fmt"

	"github.com/mynaconnect/mynaconnect/installer/browsers"
	"golang.org/x/sys/windows/registry"
)

// System returns the machine's registry.
func System() Registry { return system{} }

type system struct{}

func root(k browsers.RegKey) (registry.Key, error) {
	switch k.Root {
	case "HKCU":
		return registry.CURRENT_USER, nil
	case "HKLM":
		return registry.LOCAL_MACHINE, nil
	}
	return 0, fmt.Errorf("winreg: unknown root %q in %s", k.Root, k)
}

func (system) Get(k browsers.RegKey) (string, bool, error) {
	r, err := root(k)
	if err != nil {
		return "", false, err
	}
	key, err := registry.OpenKey(r, k.Path, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("winreg: open %s: %w", k, err)
	}
	defer key.Close()
	v, _, err := key.GetStringValue("")
	if errors.Is(err, registry.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("winreg: read %s: %w", k, err)
	}
	return v, true, nil
}

func (system) Set(k browsers.RegKey, value string) ([]string, error) {
	r, err := root(k)
	if err != nil {
		return nil, err
	}
	// Which ancestors are missing is learnt before creating the key, so
	// that uninstall can remove exactly those again.
	var created []string
	for _, a := range ancestors(k.Path) {
		key, err := registry.OpenKey(r, a, registry.QUERY_VALUE)
		if errors.Is(err, registry.ErrNotExist) {
			created = append(created, a)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("winreg: open %s\\%s: %w", k.Root, a, err)
		}
		key.Close()
	}
	key, _, err := registry.CreateKey(r, k.Path, registry.SET_VALUE)
	if err != nil {
		return nil, fmt.Errorf("winreg: create %s: %w", k, err)
	}
	defer key.Close()
	if err := key.SetStringValue("", value); err != nil {
		return created, fmt.Errorf("winreg: set %s: %w", k, err)
	}
	return created, nil
}

func (system) Delete(k browsers.RegKey) error {
	r, err := root(k)
	if err != nil {
		return err
	}
	if err := registry.DeleteKey(r, k.Path); err != nil {
		return fmt.Errorf("winreg: delete %s: %w", k, err)
	}
	return nil
}

func (system) DeleteIfEmpty(k browsers.RegKey) (bool, error) {
	r, err := root(k)
	if err != nil {
		return false, err
	}
	key, err := registry.OpenKey(r, k.Path, registry.QUERY_VALUE|registry.ENUMERATE_SUB_KEYS)
	if errors.Is(err, registry.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("winreg: open %s: %w", k, err)
	}
	info, err := key.Stat()
	key.Close()
	if err != nil {
		return false, fmt.Errorf("winreg: stat %s: %w", k, err)
	}
	if info.SubKeyCount > 0 || info.ValueCount > 0 {
		return false, nil
	}
	if err := registry.DeleteKey(r, k.Path); err != nil {
		return false, fmt.Errorf("winreg: delete %s: %w", k, err)
	}
	return true, nil
}
