// Package apply carries out an install plan on this machine, and undoes it
// from the install record. Every item reports what happened to it (created,
// replaced, unchanged, removed, kept), a dry run reports what would happen
// and changes nothing, and an install that finds everything in place
// changes nothing and says so.
package apply

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/mynaconnect/mynaconnect/installer/browsers"
	"github.com/mynaconnect/mynaconnect/installer/plan"
	"github.com/mynaconnect/mynaconnect/installer/record"
	"github.com/mynaconnect/mynaconnect/installer/winreg"
)

// Status is what happened, or would happen, to one item.
type Status string

// Statuses. The "would" ones are a dry run's.
const (
	Created      Status = "created"
	Replaced     Status = "replaced"
	Unchanged    Status = "unchanged"
	Removed      Status = "removed"
	Gone         Status = "already gone"
	Kept         Status = "kept"
	WouldCreate  Status = "would create"
	WouldReplace Status = "would replace"
	WouldRemove  Status = "would remove"
)

// Result is one item's outcome.
type Result struct {
	What   string // "directory", "host binary", "manifest", "registry key", "install record"
	Target string // the path or registry key
	Status Status
	Note   string // for whom, or why an item was kept
	Warn   bool   // the item needs a person's attention
}

func (r Result) String() string {
	s := fmt.Sprintf("%-13s %-14s %s", r.Status, r.What, r.Target)
	if r.Note != "" {
		s += " (" + r.Note + ")"
	}
	return s
}

// Options change how a plan is applied.
type Options struct {
	// DryRun reads what is there to say what would change, and changes
	// nothing.
	DryRun bool
	// Registry is the Windows registry (winreg.System() in production).
	Registry winreg.Registry
	// Report, when set, is called with each result as it happens.
	Report func(Result)
}

type run struct {
	o       Options
	results []Result
	rec     record.Record
	wouldMk map[string]bool // directories a dry run would have created
	wouldRm map[string]bool // paths a dry run would have removed
}

func (r *run) report(res Result) {
	r.results = append(r.results, res)
	if r.o.Report != nil {
		r.o.Report(res)
	}
}

// Install applies p: copies the host binary, writes the manifests, sets the
// registry keys, and records in p.RecordPath everything it created or
// changed, merged with what earlier installs recorded. It stops at the
// first failure, after recording what it had done by then.
func Install(p plan.Plan, o Options) (results []Result, err error) {
	if p.OS != runtime.GOOS {
		return nil, fmt.Errorf("apply: the plan is for %s and this is %s; plans for another system can only be shown (Preview)", p.OS, runtime.GOOS)
	}
	rec, found, err := record.Load(p.RecordPath)
	if err != nil {
		return nil, fmt.Errorf("apply: %w", err)
	}
	if !found {
		rec = record.New(p.OS, string(p.Scope))
	}
	old := rec.Marshal()
	r := &run{o: o, rec: rec, wouldMk: map[string]bool{}}
	defer func() {
		if err == nil {
			err = r.saveRecord(p.RecordPath, found, old)
		} else if !o.DryRun && !bytes.Equal(r.rec.Marshal(), old) {
			// Keep track of what was done before the failure, so that
			// uninstall can still remove it.
			record.Save(p.RecordPath, r.rec)
		}
		results = r.results
	}()
	for _, a := range p.Actions {
		switch a.Kind {
		case plan.CopyBinary:
			content, err := os.ReadFile(a.Source)
			if err != nil {
				return nil, fmt.Errorf("apply: read the host binary to install: %w (build it with \"make build\", or name it with --host)", err)
			}
			if err := r.writeFile("host binary", a, content); err != nil {
				return nil, err
			}
		case plan.WriteFile:
			if err := r.writeFile("manifest", a, a.Content); err != nil {
				return nil, err
			}
		case plan.SetRegistry:
			if err := r.setKey(a); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("apply: unknown action %q", a.Kind)
		}
	}
	return nil, nil
}

func (r *run) saveRecord(path string, found bool, old []byte) error {
	res := Result{What: "install record", Target: path}
	switch {
	case found && bytes.Equal(r.rec.Marshal(), old):
		res.Status = Unchanged
	case r.o.DryRun:
		res.Status = WouldCreate
		if found {
			res.Status = WouldReplace
		}
		if err := r.mkdirs(filepath.Dir(path)); err != nil {
			return err
		}
	default:
		if err := r.mkdirs(filepath.Dir(path)); err != nil {
			return err
		}
		if err := record.Save(path, r.rec); err != nil {
			return fmt.Errorf("apply: %w", err)
		}
		res.Status = Created
		if found {
			res.Status = Replaced
		}
	}
	r.report(res)
	return nil
}

func digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// writeFile puts content at a.Path unless it is there already, with the
// right permissions.
func (r *run) writeFile(what string, a plan.Action, content []byte) error {
	res := Result{What: what, Target: a.Path, Note: strings.Join(a.For, ", ")}
	existing, err := os.ReadFile(a.Path)
	exists := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("apply: read %s: %w", a.Path, err)
	}
	if exists && bytes.Equal(existing, content) && r.modeOK(a.Path, a.Mode) {
		res.Status = Unchanged
		r.report(res)
		return nil
	}
	if err := r.mkdirs(filepath.Dir(a.Path)); err != nil {
		return err
	}
	switch {
	case r.o.DryRun && exists:
		res.Status = WouldReplace
	case r.o.DryRun:
		res.Status = WouldCreate
	default:
		if err := record.WriteFileAtomic(a.Path, content, a.Mode); err != nil {
			return fmt.Errorf("apply: write %s: %w", a.Path, err)
		}
		res.Status = Created
		if exists {
			res.Status = Replaced
		}
	}
	r.rec.AddFile(a.Path, digest(content))
	r.report(res)
	return nil
}

// modeOK reports whether the file at path has permissions perm. Windows
// has no permission bits to compare.
func (r *run) modeOK(path string, perm fs.FileMode) bool {
	if runtime.GOOS == "windows" {
		return true
	}
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().Perm() == perm
}

// mkdirs creates dir and its missing ancestors, recording each one it
// creates so that uninstall can remove it again.
func (r *run) mkdirs(dir string) error {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if r.wouldMk[d] {
			break
		}
		fi, err := os.Stat(d)
		if err == nil {
			if !fi.IsDir() {
				return fmt.Errorf("apply: %s is not a directory", d)
			}
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("apply: %w", err)
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	for i := len(missing) - 1; i >= 0; i-- {
		d := missing[i]
		res := Result{What: "directory", Target: d, Status: Created}
		if r.o.DryRun {
			r.wouldMk[d] = true
			res.Status = WouldCreate
		} else if err := os.Mkdir(d, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("apply: create directory: %w", err)
		}
		r.rec.AddDir(d)
		r.report(res)
	}
	return nil
}

func (r *run) setKey(a plan.Action) error {
	res := Result{What: "registry key", Target: a.Key.String(), Note: strings.Join(a.For, ", ")}
	if r.o.Registry == nil {
		return fmt.Errorf("apply: %s: no registry given", a.Key)
	}
	v, ok, err := r.o.Registry.Get(a.Key)
	if err != nil {
		return fmt.Errorf("apply: %w", err)
	}
	if ok && v == a.Path {
		res.Status = Unchanged
		r.report(res)
		return nil
	}
	k := record.Key{Root: a.Key.Root, Path: a.Key.Path, Value: a.Path}
	switch {
	case r.o.DryRun && ok:
		res.Status = WouldReplace
	case r.o.DryRun:
		res.Status = WouldCreate
	default:
		created, err := r.o.Registry.Set(a.Key, a.Path)
		k.Created = created
		if err != nil {
			if len(created) > 0 {
				r.rec.AddKey(k)
			}
			return fmt.Errorf("apply: %w", err)
		}
		res.Status = Created
		if ok {
			res.Status = Replaced
		}
	}
	r.rec.AddKey(k)
	r.report(res)
	return nil
}

// Preview lists what p would do without looking at the machine: for plans
// made for another operating system (a dry run with --os).
func Preview(p plan.Plan) []Result {
	var out []Result
	for _, a := range p.Actions {
		res := Result{Target: a.Target(), Status: WouldCreate, Note: strings.Join(a.For, ", ")}
		switch a.Kind {
		case plan.CopyBinary:
			res.What = "host binary"
			res.Note = "copied from " + a.Source
		case plan.WriteFile:
			res.What = "manifest"
		case plan.SetRegistry:
			res.What = "registry key"
			res.Note = "default value " + a.Path + "; " + res.Note
		}
		out = append(out, res)
	}
	return append(out, Result{What: "install record", Target: p.RecordPath, Status: WouldCreate})
}

// keyOf is the registry key a record entry names.
func keyOf(k record.Key) browsers.RegKey { return browsers.RegKey{Root: k.Root, Path: k.Path} }
