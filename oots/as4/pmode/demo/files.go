package demo

import (
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"

	"github.com/vienreiz/vienreiz/oots/as4/keys"
	"github.com/vienreiz/vienreiz/oots/as4/pmode"
)

// File names inside a side's folder.
const (
	PModeFile      = "pmode.json"
	KeystoreFile   = "keystore.p12"
	TruststoreFile = "truststore.p12"
	CAFile         = "ca.pem"
)

// WriteFiles writes each side into dir/<party name>/: pmode.json (the
// configuration, certificates inline), keystore.p12 (its identity),
// truststore.p12 (the demo root and issuing CA as Java trust anchors) and ca.pem, the
// stores sealed with password. Files are created 0600, folders 0700.
func (s *Setup) WriteFiles(dir, password string) error {
	for _, side := range []Side{s.Requester, s.Provider} {
		sub := filepath.Join(dir, side.Config.Self)
		if err := os.MkdirAll(sub, 0o700); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		cfg, err := pmode.Marshal(side.Config)
		if err != nil {
			return err
		}
		ks, err := keys.EncodePKCS12(side.Identity, password)
		if err != nil {
			return err
		}
		ts, err := keys.EncodePKCS12Trust([]*x509.Certificate{s.PKI.Root, s.PKI.Issuer}, password)
		if err != nil {
			return err
		}
		files := map[string][]byte{
			PModeFile:      cfg,
			KeystoreFile:   ks,
			TruststoreFile: ts,
			CAFile:         keys.EncodePEM(s.PKI.Root),
		}
		for name, data := range files {
			if err := os.WriteFile(filepath.Join(sub, name), data, 0o600); err != nil {
				return fmt.Errorf("demo: %w", err)
			}
		}
	}
	return nil
}

// LoadSide reads a side written by WriteFiles from its folder.
func LoadSide(dir, password string) (Side, error) {
	c, err := pmode.Load(filepath.Join(dir, PModeFile))
	if err != nil {
		return Side{}, err
	}
	id, err := keys.LoadIdentityFile(filepath.Join(dir, KeystoreFile), password, "", "")
	if err != nil {
		return Side{}, err
	}
	t := keys.NewTrustStore()
	if _, err := t.AddFile(filepath.Join(dir, TruststoreFile), password); err != nil {
		return Side{}, err
	}
	return Side{Config: c, Identity: id, Trust: t}, nil
}

// Reseal seals the key store and the trust store of the side in dir with
// newPassword instead of oldPassword; each file is replaced whole (written
// beside it, then renamed), so a crash leaves either seal, never half.
func Reseal(dir, oldPassword, newPassword string) error {
	id, err := keys.LoadIdentityFile(filepath.Join(dir, KeystoreFile), oldPassword, "", "")
	if err != nil {
		return err
	}
	ks, err := keys.EncodePKCS12(id, newPassword)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(filepath.Join(dir, TruststoreFile))
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	certs, err := keys.DecodePKCS12Trust(data, oldPassword)
	if err != nil {
		return fmt.Errorf("demo: %s: %w", TruststoreFile, err)
	}
	ts, err := keys.EncodePKCS12Trust(certs, newPassword)
	if err != nil {
		return err
	}
	for name, data := range map[string][]byte{KeystoreFile: ks, TruststoreFile: ts} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path+".new", data, 0o600); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		if err := os.Rename(path+".new", path); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	return nil
}
