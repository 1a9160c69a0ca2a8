package keys_test

import (
	"bytes"
	"crypto/x509"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4/keys"
)

// keytool runs Java's keytool in dir, failing the test with its output.
func keytool(t *testing.T, bin, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("keytool %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestKeytoolStores reads keystores and truststores written by Java's
// keytool, as real access points (Domibus, phase4) hand them out.
func TestKeytoolStores(t *testing.T) {
	bin, err := exec.LookPath("keytool")
	if err != nil {
		t.Skipf("keytool not installed (Debian package default-jdk-headless): %v", err)
	}
	dir := t.TempDir()
	gen := func(alias, store, storeType, keyPass string) {
		args := []string{"-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048",
			"-sigalg", "SHA256withRSA", "-dname", "CN=" + alias + ",O=Vienreiz keytool test,C=LV",
			"-validity", "30", "-ext", "KeyUsage=digitalSignature,keyEncipherment",
			"-keystore", store, "-storetype", storeType, "-storepass", "changeit"}
		if keyPass != "" {
			args = append(args, "-keypass", keyPass)
		}
		keytool(t, bin, dir, args...)
	}
	gen("blue_gw", "gw.p12", "PKCS12", "")
	gen("red_gw", "gw.p12", "PKCS12", "")
	gen("blue_gw", "gw.jks", "JKS", "keypass1")
	keytool(t, bin, dir, "-exportcert", "-rfc", "-alias", "red_gw", "-keystore", "gw.p12", "-storepass", "changeit", "-file", "red.pem")
	for _, st := range []string{"JKS", "PKCS12"} {
		keytool(t, bin, dir, "-importcert", "-noprompt", "-alias", "red_gw", "-file", "red.pem",
			"-keystore", "trust."+strings.ToLower(st), "-storetype", st, "-storepass", "changeit")
	}
	now := time.Now()

	t.Run("PKCS#12 with two key entries, by alias", func(t *testing.T) {
		for _, alias := range []string{"blue_gw", "RED_GW"} {
			id, err := keys.LoadIdentityFile(filepath.Join(dir, "gw.p12"), "changeit", alias, "")
			if err != nil {
				t.Fatalf("%s: %v", alias, err)
			}
			if got := id.Cert.Subject.CommonName; !strings.EqualFold(got, alias) {
				t.Errorf("alias %s loaded certificate of %s", alias, got)
			}
			if _, err := id.Decrypter(); err != nil {
				t.Error(err)
			}
		}
		_, err := keys.LoadIdentityFile(filepath.Join(dir, "gw.p12"), "changeit", "green_gw", "")
		if !errors.Is(err, keys.ErrNoAlias) || !strings.Contains(err.Error(), "blue_gw") {
			t.Errorf("unknown alias: %v, want ErrNoAlias listing the entries", err)
		}
		_, err = keys.LoadIdentityFile(filepath.Join(dir, "gw.p12"), "wrong", "blue_gw", "")
		if !errors.Is(err, keys.ErrPassword) {
			t.Errorf("wrong password: %v, want ErrPassword", err)
		}
	})

	t.Run("JKS with separate key password", func(t *testing.T) {
		id, err := keys.LoadIdentityFile(filepath.Join(dir, "gw.jks"), "changeit", "blue_gw", "keypass1")
		if err != nil {
			t.Fatal(err)
		}
		if id.Cert.Subject.CommonName != "blue_gw" {
			t.Errorf("loaded %s", id.Cert.Subject)
		}
		if _, err := keys.LoadIdentityFile(filepath.Join(dir, "gw.jks"), "changeit", "blue_gw", ""); !errors.Is(err, keys.ErrPassword) {
			t.Errorf("store password as key password: %v, want ErrPassword", err)
		}
	})

	t.Run("truststores", func(t *testing.T) {
		red, err := keys.LoadIdentityFile(filepath.Join(dir, "gw.p12"), "changeit", "red_gw", "")
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"trust.jks", "trust.pkcs12", "red.pem"} {
			ts := keys.NewTrustStore()
			n, err := ts.AddFile(filepath.Join(dir, f), "changeit")
			if err != nil || n != 1 {
				t.Fatalf("%s: AddFile = %d, %v", f, n, err)
			}
			if err := ts.VerifyKeyUsage(red.Cert, now, x509.KeyUsageDigitalSignature|x509.KeyUsageKeyEncipherment); err != nil {
				t.Errorf("%s: keytool certificate not trusted: %v", f, err)
			}
		}
	})

	t.Run("keytool reads what we write", func(t *testing.T) {
		p := newPKI(t)
		id, err := p.Party("LV")
		if err != nil {
			t.Fatal(err)
		}
		p12, err := keys.EncodePKCS12(id, "changeit")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "ours.p12"), p12, 0o600); err != nil {
			t.Fatal(err)
		}
		var jks bytes.Buffer
		if err := keys.WriteJKS(&jks, "changeit", "lv", id, "", map[string]*x509.Certificate{"root": p.Root}); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "ours.jks"), jks.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		out := keytool(t, bin, dir, "-list", "-keystore", "ours.jks", "-storetype", "JKS", "-storepass", "changeit")
		if !strings.Contains(out, "lv,") || !strings.Contains(out, "root,") {
			t.Errorf("keytool -list of our JKS lacks entries:\n%s", out)
		}
		// Convert our PKCS#12 with keytool and read keytool's JKS back.
		keytool(t, bin, dir, "-importkeystore", "-noprompt", "-srckeystore", "ours.p12", "-srcstoretype", "PKCS12",
			"-srcstorepass", "changeit", "-destkeystore", "conv.jks", "-deststoretype", "JKS", "-deststorepass", "changeit2")
		out = keytool(t, bin, dir, "-list", "-keystore", "conv.jks", "-storetype", "JKS", "-storepass", "changeit2")
		alias := strings.TrimSpace(strings.SplitN(lastEntryLine(out), ",", 2)[0])
		got, err := keys.LoadIdentityFile(filepath.Join(dir, "conv.jks"), "changeit2", alias, "changeit")
		if err != nil {
			t.Fatalf("alias %q: %v\n%s", alias, err, out)
		}
		if !got.Cert.Equal(id.Cert) || len(got.Chain) != 2 {
			t.Errorf("converted identity differs: %v, chain %d", got.Cert.Subject, len(got.Chain))
		}
	})
}

// lastEntryLine returns the last "alias, date, EntryType," line of
// keytool -list output.
func lastEntryLine(out string) string {
	var last string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "Entry,") {
			last = l
		}
	}
	return last
}
