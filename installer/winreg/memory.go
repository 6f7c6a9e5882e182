package winreg

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/mynaconnect/mynaconnect/installer/browsers"
)

// Memory is an in-memory registry for tests: keys are case-insensitive,
// as in the real one, and a key with subkeys cannot be deleted.
type Memory struct {
	mu   sync.Mutex
	keys map[string]*memKey // by lower-case Root\Path
}

type memKey struct {
	name     string // as created
	value    string
	hasValue bool
}

// NewMemory returns an empty registry, with the given keys existing
// (Root\Path), as on a machine where browsers have created theirs.
func NewMemory(existing ...string) *Memory {
	m := &Memory{keys: map[string]*memKey{}}
	for _, k := range existing {
		root, path, _ := strings.Cut(k, `\`)
		m.create(browsers.RegKey{Root: root, Path: path})
	}
	return m
}

func id(root, path string) string { return strings.ToLower(root + `\` + path) }

func (m *Memory) create(k browsers.RegKey) (created []string) {
	for _, a := range append(ancestors(k.Path), k.Path) {
		if m.keys[id(k.Root, a)] == nil {
			m.keys[id(k.Root, a)] = &memKey{name: k.Root + `\` + a}
			if a != k.Path {
				created = append(created, a)
			}
		}
	}
	return created
}

// Get implements Registry.
func (m *Memory) Get(k browsers.RegKey) (string, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	mk := m.keys[id(k.Root, k.Path)]
	if mk == nil || !mk.hasValue {
		return "", false, nil
	}
	return mk.value, true, nil
}

// Set implements Registry.
func (m *Memory) Set(k browsers.RegKey, value string) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	created := m.create(k)
	mk := m.keys[id(k.Root, k.Path)]
	mk.value, mk.hasValue = value, true
	return created, nil
}

func (m *Memory) hasSubkeys(k browsers.RegKey) bool {
	prefix := id(k.Root, k.Path) + `\`
	for name := range m.keys {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}

// Delete implements Registry.
func (m *Memory) Delete(k browsers.RegKey) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.keys[id(k.Root, k.Path)] == nil {
		return fmt.Errorf("winreg: delete %s: key does not exist", k)
	}
	if m.hasSubkeys(k) {
		return fmt.Errorf("winreg: delete %s: key has subkeys", k)
	}
	delete(m.keys, id(k.Root, k.Path))
	return nil
}

// DeleteIfEmpty implements Registry.
func (m *Memory) DeleteIfEmpty(k browsers.RegKey) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	mk := m.keys[id(k.Root, k.Path)]
	if mk == nil || mk.hasValue || m.hasSubkeys(k) {
		return false, nil
	}
	delete(m.keys, id(k.Root, k.Path))
	return true, nil
}

// Keys lists the existing keys (Root\Path as created), sorted.
func (m *Memory) Keys() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for _, k := range m.keys {
		out = append(out, k.name)
	}
	sort.Strings(out)
	return out
}
