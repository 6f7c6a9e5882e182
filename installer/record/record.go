// Package record keeps the install record: the list of every file,
// directory and registry key the installer created or changed. Uninstall
// works from it alone and touches nothing it does not list, and a file
// is removed only while it still has the content the installer wrote.
package record

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// Format is the record's format version.
const Format = 1

// Record is what one install (or several, merged) added.
type Record struct {
	Format int    `json:"format"`
	OS     string `json:"os"`
	Scope  string `json:"scope"`
	// Files written, with the SHA-256 of what was written.
	Files []File `json:"files"`
	// Dirs created because they did not exist, parents before children.
	Dirs []string `json:"dirs"`
	// Keys set in the Windows registry.
	Keys []Key `json:"registryKeys,omitempty"`
}

// File is one file the installer wrote.
type File struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"` // lowercase hex
}

// Key is one registry key whose default value the installer set.
type Key struct {
	Root  string `json:"root"` // HKCU or HKLM
	Path  string `json:"path"`
	Value string `json:"value"`
	// Created are the key's ancestors that did not exist before,
	// shallowest first; uninstall deletes them again while empty.
	Created []string `json:"createdParents,omitempty"`
}

// New returns an empty record.
func New(goos, scope string) Record { return Record{Format: Format, OS: goos, Scope: scope} }

// Load reads the record at path. A missing record is not an error: found
// is then false.
func Load(path string) (r Record, found bool, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return Record{}, false, nil
	}
	if err != nil {
		return Record{}, false, fmt.Errorf("record: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return Record{}, false, fmt.Errorf("record: %s is not an install record: %w", path, err)
	}
	if r.Format != Format {
		return Record{}, false, fmt.Errorf("record: %s has format %d; this installer reads format %d", path, r.Format, Format)
	}
	return r, true, nil
}

// Marshal encodes the record: the same record gives the same bytes, so an
// install that changes nothing does not rewrite it either.
func (r Record) Marshal() []byte {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		panic("record: " + err.Error()) // only strings and slices of them
	}
	return append(b, '\n')
}

// AddFile records that path was written with the given SHA-256, replacing
// an earlier entry for it.
func (r *Record) AddFile(path, sha256 string) {
	for i := range r.Files {
		if r.Files[i].Path == path {
			r.Files[i].SHA256 = sha256
			return
		}
	}
	r.Files = append(r.Files, File{Path: path, SHA256: sha256})
}

// AddDir records that dir was created.
func (r *Record) AddDir(dir string) {
	if !slices.Contains(r.Dirs, dir) {
		r.Dirs = append(r.Dirs, dir)
	}
}

// AddKey records that a registry key was set, keeping the parents an
// earlier install created.
func (r *Record) AddKey(k Key) {
	for i := range r.Keys {
		if r.Keys[i].Root == k.Root && r.Keys[i].Path == k.Path {
			r.Keys[i].Value = k.Value
			for _, c := range k.Created {
				if !slices.Contains(r.Keys[i].Created, c) {
					r.Keys[i].Created = append(r.Keys[i].Created, c)
				}
			}
			return
		}
	}
	r.Keys = append(r.Keys, k)
}

// WriteFileAtomic writes data to path through a temporary file in the same
// directory and a rename, so that a browser never reads half a manifest
// and a running host binary is replaced rather than overwritten in place
// (which Linux refuses with ETXTBSY). The file gets exactly mode perm.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename, nothing to remove
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Save writes the record to path.
func Save(path string, r Record) error {
	if err := WriteFileAtomic(path, r.Marshal(), 0o644); err != nil {
		return fmt.Errorf("record: save: %w", err)
	}
	return nil
}
