package vcard

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/jpki"
)

func TestLockedCardStaysLockedAcrossNew(t *testing.T) {
	dir := t.TempDir()
	withDir := func(cfg *Config) { cfg.StateDir = dir }

	c := newCard(t, withDir)
	expect(t, c, selectAP(), jpki.SWOK)
	expect(t, c, selectEF(jpki.EFAuthPIN), jpki.SWOK)
	expect(t, c, verify("0000"), 0x63C2)
	expect(t, c, verify("0000"), 0x63C1)
	expect(t, c, verify("0000"), jpki.SWAuthMethodBlocked)

	// A new card on the same state directory, as after a CLI restart. Its
	// config says "no failures"; the file wins.
	c = newCard(t, withDir)
	if auth, sign := c.Retries(); auth != 0 || sign != DefaultSignRetries {
		t.Fatalf("retries after restart: auth %d sign %d, want 0 and %d", auth, sign, DefaultSignRetries)
	}
	expect(t, c, selectAP(), jpki.SWOK)
	expect(t, c, selectEF(jpki.EFAuthPIN), jpki.SWOK)
	expect(t, c, counterQuery(), 0x63C0)
	expect(t, c, verify(DefaultAuthPIN), jpki.SWAuthMethodBlocked)

	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != stateFile {
		t.Fatalf("state directory holds %v, want only %s (no temporary files left)", entries, stateFile)
	}
}

func TestCorrectPINIsSaved(t *testing.T) {
	dir := t.TempDir()
	c := newCard(t, func(cfg *Config) { cfg.StateDir = dir; cfg.SignPassword.Failures = 3 })
	expect(t, c, selectAP(), jpki.SWOK)
	expect(t, c, selectEF(jpki.EFSignPassword), jpki.SWOK)
	expect(t, c, verify(DefaultSignPassword), jpki.SWOK)

	b, err := os.ReadFile(filepath.Join(dir, stateFile))
	if err != nil {
		t.Fatal(err)
	}
	var got counters
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if want := (counters{AuthRetries: 3, SignRetries: 5}); got != want {
		t.Fatalf("saved %+v, want %+v", got, want)
	}
}

func TestCounterQueryWritesNothing(t *testing.T) {
	dir := t.TempDir()
	c := newCard(t, func(cfg *Config) { cfg.StateDir = dir })
	expect(t, c, selectAP(), jpki.SWOK)
	expect(t, c, selectEF(jpki.EFAuthPIN), jpki.SWOK)
	expect(t, c, counterQuery(), 0x63C3)
	expect(t, c, verify(DefaultAuthPIN), jpki.SWOK) // counter already full
	if _, err := os.Stat(filepath.Join(dir, stateFile)); !os.IsNotExist(err) {
		t.Fatalf("state file written without a counter change: %v", err)
	}
}

func TestUnwritableStateFailsClosed(t *testing.T) {
	dir := t.TempDir()
	c := newCard(t, func(cfg *Config) { cfg.StateDir = dir })
	// A directory where the temporary file should go makes CreateTemp work
	// but the rename fail, whoever runs the test (root ignores modes).
	if err := os.Mkdir(filepath.Join(dir, stateFile), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, stateFile, "x"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	expect(t, c, selectAP(), jpki.SWOK)
	expect(t, c, selectEF(jpki.EFAuthPIN), jpki.SWOK)
	expect(t, c, verify("0000"), swMemoryFailure)
	if auth, _ := c.Retries(); auth != 2 {
		t.Fatalf("auth retries %d after a failed save, want 2: the try stays used", auth)
	}
	expect(t, c, verify(DefaultAuthPIN), swMemoryFailure)
	expect(t, c, selectEF(jpki.EFAuthKey), jpki.SWOK)
	_, di := digestInfo("x")
	expect(t, c, jpki.SignCommand(di), jpki.SWSecurityStatusNotSatisfied)
}

func TestCorruptStateFileIsAnError(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, stateFile), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	cfg.StateDir = dir
	if _, err := New(cfg); err == nil {
		t.Fatal("New accepted a corrupt counter file")
	}
}
