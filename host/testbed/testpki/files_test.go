package testpki

import (
	"bytes"
	"crypto/rsa"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestGenerateWriteLoadRoundTrips(t *testing.T) {
	now := time.Date(2030, 7, 1, 12, 0, 0, 0, time.UTC)
	p, err := Generate(now)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := p.Write(dir); err != nil {
		t.Fatal(err)
	}
	got, err := Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		got, want []byte
	}{
		{"auth CA", got.AuthCA.DER, p.AuthCA.DER},
		{"sign CA", got.SignCA.DER, p.SignCA.DER},
		{"auth cert", got.AuthCert, p.AuthCert},
		{"sign cert", got.SignCert, p.SignCert},
	} {
		if !bytes.Equal(c.got, c.want) {
			t.Errorf("%s differs after Write and Load", c.name)
		}
	}
	for _, c := range []struct {
		name      string
		got, want *rsa.PrivateKey
	}{
		{"auth key", got.AuthKey, p.AuthKey},
		{"sign key", got.SignKey, p.SignKey},
		{"auth CA key", got.AuthCA.Key, p.AuthCA.Key},
		{"sign CA key", got.SignCA.Key, p.SignCA.Key},
	} {
		if !c.got.Equal(c.want) {
			t.Errorf("%s differs after Write and Load", c.name)
		}
	}
	if got.Holder != p.Holder || got.AuthCA.Kind != AuthCA || got.SignCA.Kind != SignCA {
		t.Errorf("Load: holder %+v, kinds %v %v", got.Holder, got.AuthCA.Kind, got.SignCA.Kind)
	}
	cert := got.AuthCertificate()
	if !cert.NotBefore.Equal(now) || !cert.NotAfter.Equal(now.AddDate(5, 0, 0).Add(-time.Second)) {
		t.Errorf("auth certificate valid %v to %v, want 5 years from %v", cert.NotBefore, cert.NotAfter, now)
	}
	if !strings.Contains(got.AuthCA.Cert.Subject.String(), "MynaConnect TEST CA 2030") {
		t.Errorf("CA subject %q does not name generation 2030", got.AuthCA.Cert.Subject)
	}
}

func TestLoadRejectsASetThatDoesNotBelongTogether(t *testing.T) {
	p, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := p.Write(dir); err != nil {
		t.Fatal(err)
	}
	base := fstest.MapFS{}
	for _, name := range []string{FileAuthCA, FileSignCA, FileAuthCert, FileSignCert, FileAuthKey, FileSignKey, FileAuthCAKey, FileSignCAKey} {
		data, err := os.ReadFile(dir + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		base[name] = &fstest.MapFile{Data: data}
	}
	if _, err := Load(base); err != nil {
		t.Fatalf("the unmodified set does not load: %v", err)
	}
	for _, c := range []struct {
		name   string
		modify func(fstest.MapFS)
		want   string
	}{
		{"keys swapped", func(m fstest.MapFS) { m[FileAuthKey], m[FileSignKey] = m[FileSignKey], m[FileAuthKey] }, "auth key"},
		{"CAs swapped", func(m fstest.MapFS) {
			m[FileAuthCA], m[FileSignCA] = m[FileSignCA], m[FileAuthCA]
			m[FileAuthCAKey], m[FileSignCAKey] = m[FileSignCAKey], m[FileAuthCAKey]
		}, "not signed by auth CA"},
		{"key missing", func(m fstest.MapFS) { delete(m, FileSignKey) }, FileSignKey},
		{"key not PKCS#8", func(m fstest.MapFS) {
			m[FileAuthKey] = &fstest.MapFile{Data: bytes.Replace(m[FileAuthKey].Data, []byte("PRIVATE KEY"), []byte("RSA PRIVATE KEY"), 2)}
		}, "PKCS#8"},
		{"certificate truncated", func(m fstest.MapFS) { m[FileAuthCert] = &fstest.MapFile{Data: m[FileAuthCert].Data[:100]} }, "auth certificate"},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := fstest.MapFS{}
			for k, v := range base {
				m[k] = v
			}
			c.modify(m)
			_, err := Load(m)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Load: %v, want an error mentioning %q", err, c.want)
			}
		})
	}
}
