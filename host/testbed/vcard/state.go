package vcard

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// stateFile is the name of the retry counter file in Config.StateDir.
const stateFile = "vcard-counters.json"

// counters is what survives a restart: the tries left on each PIN. Only
// counters are kept; a real card forgets a verified PIN on power loss too.
type counters struct {
	AuthRetries int `json:"auth_retries"`
	SignRetries int `json:"sign_retries"`
}

// loadCounters reads the counter file in dir. found is false when there is
// none yet, which is not an error: the card is new.
func loadCounters(dir string) (c counters, found bool, err error) {
	path := filepath.Join(dir, stateFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return counters{}, false, nil
	}
	if err != nil {
		return counters{}, false, fmt.Errorf("vcard: read retry counters: %w", err)
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return counters{}, false, fmt.Errorf("vcard: retry counters in %s: %w", path, err)
	}
	return c, true, nil
}

// saveCounters replaces the counter file atomically (temporary file, fsync,
// rename), so a crash mid-write never leaves a half file that would unlock
// a locked card or refuse to load.
func saveCounters(dir string, c counters) error {
	b, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("vcard: encode retry counters: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("vcard: state directory: %w", err)
	}
	tmp, err := os.CreateTemp(dir, stateFile+".*.tmp")
	if err != nil {
		return fmt.Errorf("vcard: save retry counters: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("vcard: save retry counters: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("vcard: save retry counters: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("vcard: save retry counters: %w", err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, stateFile)); err != nil {
		return fmt.Errorf("vcard: save retry counters: %w", err)
	}
	return nil
}
