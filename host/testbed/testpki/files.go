package testpki

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/mynaconnect/mynaconnect"
)

// File names in a PKI directory. Certificates are DER (what the card's EFs
// hold) with PEM copies for openssl; keys are PKCS#8 PEM.
const (
	FileAuthCA      = "auth-ca.der"
	FileSignCA      = "sign-ca.der"
	FileAuthCert    = "auth-cert.der"
	FileSignCert    = "sign-cert.der"
	FileAuthKey     = "auth-key.pem"
	FileSignKey     = "sign-key.pem"
	FileAuthCAKey   = "auth-ca-key.pem"
	FileSignCAKey   = "sign-ca-key.pem"
	FileAuthCAPEM   = "auth-ca.pem"
	FileSignCAPEM   = "sign-ca.pem"
	FileAuthCertPEM = "auth-cert.pem"
	FileSignCertPEM = "sign-cert.pem"
)

// Write stores p in dir (created if missing), overwriting the files named
// above. Other files, such as a README, are left alone.
func (p *PKI) Write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("testpki: write: %w", err)
	}
	files := []struct {
		name string
		data func() ([]byte, error)
	}{
		{FileAuthCA, raw(p.AuthCA.DER)},
		{FileSignCA, raw(p.SignCA.DER)},
		{FileAuthCert, raw(p.AuthCert)},
		{FileSignCert, raw(p.SignCert)},
		{FileAuthCAPEM, certPEM(p.AuthCA.DER)},
		{FileSignCAPEM, certPEM(p.SignCA.DER)},
		{FileAuthCertPEM, certPEM(p.AuthCert)},
		{FileSignCertPEM, certPEM(p.SignCert)},
		{FileAuthKey, keyPEM(p.AuthKey)},
		{FileSignKey, keyPEM(p.SignKey)},
		{FileAuthCAKey, keyPEM(p.AuthCA.Key)},
		{FileSignCAKey, keyPEM(p.SignCA.Key)},
	}
	for _, f := range files {
		data, err := f.data()
		if err != nil {
			return fmt.Errorf("testpki: write %s: %w", f.name, err)
		}
		// World-readable on purpose: these keys are public test fixtures
		// committed to the repository, not secrets.
		if err := os.WriteFile(filepath.Join(dir, f.name), data, 0o644); err != nil {
			return fmt.Errorf("testpki: write: %w", err)
		}
	}
	return nil
}

func raw(b []byte) func() ([]byte, error) {
	return func() ([]byte, error) { return b, nil }
}

func certPEM(der []byte) func() ([]byte, error) {
	return func() ([]byte, error) {
		return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), nil
	}
}

func keyPEM(key *rsa.PrivateKey) func() ([]byte, error) {
	return func() ([]byte, error) {
		der, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			return nil, err
		}
		return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
	}
}

// Load reads a set written by Write from fsys, rooted at the set's directory
// (os.DirFS("testdata/pki"), or mynaconnect.TestPKI()). The DER files are
// authoritative; the PEM copies of certificates are not read. It checks that
// keys match certificates and certificates chain to their CAs.
func Load(fsys fs.FS) (*PKI, error) {
	p := new(PKI)
	var err error
	if p.AuthCA, err = loadCA(fsys, AuthCA, FileAuthCA, FileAuthCAKey); err != nil {
		return nil, err
	}
	if p.SignCA, err = loadCA(fsys, SignCA, FileSignCA, FileSignCAKey); err != nil {
		return nil, err
	}
	if p.AuthCert, err = fs.ReadFile(fsys, FileAuthCert); err != nil {
		return nil, fmt.Errorf("testpki: load: %w", err)
	}
	if p.SignCert, err = fs.ReadFile(fsys, FileSignCert); err != nil {
		return nil, fmt.Errorf("testpki: load: %w", err)
	}
	if p.AuthKey, err = loadKey(fsys, FileAuthKey); err != nil {
		return nil, err
	}
	if p.SignKey, err = loadKey(fsys, FileSignKey); err != nil {
		return nil, err
	}
	if err := p.check(); err != nil {
		return nil, fmt.Errorf("testpki: load: %w", err)
	}
	if p.Holder, err = SignCertHolder(p.SignCertificate()); err != nil {
		return nil, fmt.Errorf("testpki: load: %w", err)
	}
	return p, nil
}

func loadCA(fsys fs.FS, kind Kind, certFile, keyFile string) (*CA, error) {
	der, err := fs.ReadFile(fsys, certFile)
	if err != nil {
		return nil, fmt.Errorf("testpki: load: %w", err)
	}
	key, err := loadKey(fsys, keyFile)
	if err != nil {
		return nil, err
	}
	ca, err := newCA(kind, der, key)
	if err != nil {
		return nil, fmt.Errorf("testpki: load %s: %w", certFile, err)
	}
	return ca, nil
}

func loadKey(fsys fs.FS, name string) (*rsa.PrivateKey, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("testpki: load: %w", err)
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("testpki: load %s: want a PEM \"PRIVATE KEY\" (PKCS#8) block", name)
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("testpki: load %s: %w", name, err)
	}
	rsaKey, ok := key.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("testpki: load %s: key is %T, want RSA", name, key)
	}
	return rsaKey, nil
}

var defaultPKI = sync.OnceValues(func() (*PKI, error) {
	return Load(mynaconnect.TestPKI())
})

// Default is the committed set in testdata/pki, embedded in the root package.
// It is loaded once and shared by every caller: treat it as read-only, and
// use Generate or NewCA for a set to modify.
func Default() (*PKI, error) {
	return defaultPKI()
}
