package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mynaconnect/mynaconnect/host/testbed/testpki"
)

func TestRunWritesALoadableSet(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pki")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-out", dir, "-now", "2028-10-01T00:00:00+09:00"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	p, err := testpki.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	if got := p.AuthCertificate().NotBefore.UTC().Format("2006-01-02T15"); got != "2028-09-30T15" {
		t.Errorf("NotBefore %s, want 2028-10-01 00:00 JST", got)
	}
	if !strings.Contains(stdout.String(), dir) {
		t.Errorf("output does not say where it wrote: %q", stdout.String())
	}
}

// TestRunRenewsASet: -renew writes the same roots with new holder keys, and
// refuses to overwrite the set it renews or to renew what is not a set.
func TestRunRenewsASet(t *testing.T) {
	from, to := filepath.Join(t.TempDir(), "pki"), filepath.Join(t.TempDir(), "renewed")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-out", from}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if code := run([]string{"-renew", from, "-out", to, "-now", "2030-10-01T09:00:00+09:00"}, &stdout, &stderr); code != 0 {
		t.Fatalf("-renew: exit %d: %s", code, stderr.String())
	}
	old, err := testpki.Load(os.DirFS(from))
	if err != nil {
		t.Fatal(err)
	}
	renewed, err := testpki.Load(os.DirFS(to))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(renewed.AuthCA.DER, old.AuthCA.DER) || !bytes.Equal(renewed.SignCA.DER, old.SignCA.DER) {
		t.Error("the renewal has other roots")
	}
	if renewed.AuthKey.N.Cmp(old.AuthKey.N) == 0 {
		t.Error("the renewal kept the auth key")
	}
	for _, args := range [][]string{{"-renew", from, "-out", from}, {"-renew", t.TempDir(), "-out", t.TempDir()}} {
		if code := run(args, &stdout, &stderr); code == 0 {
			t.Errorf("run(%q) succeeded", args)
		}
	}
}

func TestRunHelpListsTheFilesAndExitsZero(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"--help"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{testpki.FileAuthCert, testpki.FileSignKey, testpki.FileAuthCAKey, "-out", "-now", "-renew", "public test keys"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("help lacks %q", want)
		}
	}
}

func TestRunRejectsBadArguments(t *testing.T) {
	for _, args := range [][]string{
		{"-now", "2026-04-01"},
		{"extra"},
		{"-nosuchflag"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(append(args, "-out", t.TempDir()), &stdout, &stderr); code != 2 {
			t.Errorf("run(%q) = %d, want 2", args, code)
		}
	}
}
