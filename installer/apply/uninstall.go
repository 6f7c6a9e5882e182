package apply

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/mynaconnect/mynaconnect/installer/browsers"
	"github.com/mynaconnect/mynaconnect/installer/plan"
	"github.com/mynaconnect/mynaconnect/installer/record"
)

// Uninstall removes what the record at recordPath lists, and nothing else:
// registry keys whose value is still the one set, files whose content is
// still the one written (a file changed since is kept, and reported), the
// directories the installer created once they are empty, and the record
// itself. Without a record there is nothing to do. Results with Warn set
// are items it left in place.
func Uninstall(recordPath string, o Options) ([]Result, error) {
	rec, found, err := record.Load(recordPath)
	if err != nil {
		return nil, fmt.Errorf("apply: %w", err)
	}
	r := &run{o: o, wouldRm: map[string]bool{}}
	if !found {
		r.report(Result{What: "install record", Target: recordPath, Status: Gone, Note: "nothing was installed here"})
		return r.results, nil
	}
	if rec.OS != runtime.GOOS {
		return nil, fmt.Errorf("apply: %s records an install on %s; this is %s", recordPath, rec.OS, runtime.GOOS)
	}
	for i := len(rec.Keys) - 1; i >= 0; i-- {
		if err := r.removeKey(rec.Keys[i]); err != nil {
			return r.results, err
		}
	}
	for i := len(rec.Files) - 1; i >= 0; i-- {
		if err := r.removeFile(rec.Files[i]); err != nil {
			return r.results, err
		}
	}
	if err := r.remove("install record", recordPath); err != nil {
		return r.results, err
	}
	// Deepest first, so that a directory's children go before it.
	dirs := append([]string(nil), rec.Dirs...)
	sort.SliceStable(dirs, func(i, j int) bool { return len(dirs[i]) > len(dirs[j]) })
	for _, d := range dirs {
		res := Result{What: "directory", Target: d}
		switch err := r.rmdir(d); {
		case errors.Is(err, fs.ErrNotExist):
			res.Status = Gone
		case err != nil:
			// Not empty: something else lives there now. Not a warning:
			// the directory was only ever a container.
			res.Status, res.Note = Kept, "not empty"
		case r.o.DryRun:
			res.Status = WouldRemove
		default:
			res.Status = Removed
		}
		r.report(res)
	}
	return r.results, nil
}

// rmdir removes an empty directory; in a dry run it checks that it could.
func (r *run) rmdir(d string) error {
	if !r.o.DryRun {
		return os.Remove(d)
	}
	entries, err := os.ReadDir(d)
	if err != nil {
		return err
	}
	// In a dry run, the files uninstall would remove are still there.
	for _, e := range entries {
		if !r.wouldRm[d+string(os.PathSeparator)+e.Name()] {
			return errors.New("not empty")
		}
	}
	r.wouldRm[d] = true
	return nil
}

func (r *run) removeFile(f record.File) error {
	res := Result{What: "manifest", Target: f.Path}
	if strings.HasPrefix(filepath.Base(f.Path), plan.HostBinary) {
		res.What = "host binary"
	}
	b, err := os.ReadFile(f.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		res.Status = Gone
		r.report(res)
		return nil
	case err != nil:
		return fmt.Errorf("apply: %w", err)
	case digest(b) != f.SHA256:
		res.Status, res.Warn = Kept, true
		res.Note = "changed since it was installed; not removing a file this installer did not write"
		r.report(res)
		return nil
	}
	return r.remove(res.What, f.Path)
}

// remove deletes one file the record vouches for.
func (r *run) remove(what, path string) error {
	res := Result{What: what, Target: path, Status: Removed}
	if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
		res.Status = Gone
	} else if r.o.DryRun {
		res.Status = WouldRemove
		r.wouldRm[path] = true
	} else if err := os.Remove(path); err != nil {
		return fmt.Errorf("apply: remove: %w", err)
	}
	r.report(res)
	return nil
}

func (r *run) removeKey(k record.Key) error {
	key := keyOf(k)
	res := Result{What: "registry key", Target: key.String()}
	if r.o.Registry == nil {
		return fmt.Errorf("apply: %s: no registry given", key)
	}
	v, ok, err := r.o.Registry.Get(key)
	switch {
	case err != nil:
		return fmt.Errorf("apply: %w", err)
	case !ok:
		res.Status = Gone
	case v != k.Value:
		res.Status, res.Warn = Kept, true
		res.Note = fmt.Sprintf("now names %s, not %s; not removing a key this installer did not set", v, k.Value)
	case r.o.DryRun:
		res.Status = WouldRemove
	default:
		if err := r.o.Registry.Delete(key); err != nil {
			return fmt.Errorf("apply: %w", err)
		}
		res.Status = Removed
	}
	r.report(res)
	if res.Status == Kept || r.o.DryRun {
		return nil
	}
	for i := len(k.Created) - 1; i >= 0; i-- {
		parent := browsers.RegKey{Root: k.Root, Path: k.Created[i]}
		deleted, err := r.o.Registry.DeleteIfEmpty(parent)
		if err != nil {
			return fmt.Errorf("apply: %w", err)
		}
		if deleted {
			r.report(Result{What: "registry key", Target: parent.String(), Status: Removed})
		} else {
			r.report(Result{What: "registry key", Target: parent.String(), Status: Kept, Note: "not empty"})
		}
	}
	return nil
}
