package keys_test

import (
	"bytes"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/as4/keys"
)

// keytool runs Java's keytool in dir, failing the test with its output.
func keytool(t *testing.T, bin, dir string, args ...string) string {
	t.Helper()
	out, err := runKeytool(bin, dir, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// runKeytool runs keytool and returns its output, or an error with it.
func runKeytool(bin, dir string, args ...string) (string, error) {
	// These JVM flags make keytool start faster; it is run many times.
	jvm := []string{"-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-J-Xshare:auto"}
	cmd := exec.Command(bin, append(jvm, args...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("keytool %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

// parallel runs independent keytool invocations at once (each JVM start
// takes seconds) and fails the test with every error.
func parallel(t *testing.T, bin, dir string, cmds ...[]string) {
	t.Helper()
	errs := make([]error, len(cmds))
	var wg sync.WaitGroup
	for i, args := range cmds {
		wg.Go(func() { _, errs[i] = runKeytool(bin, dir, args...) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
}

// TestKeytoolStores reads keystores and truststores written by Java's
// keytool, as real access points (Domibus, phase4) hand them out.
func TestKeytoolStores(t *testing.T) {
	bin, err := exec.LookPath("keytool")
	if err != nil {
		t.Skipf("keytool not installed (Debian package default-jdk-headless): %v", err)
	}
	dir := t.TempDir()
	gen := func(alias, store, storeType, keyPass string) []string {
		args := []string{"-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048",
			"-sigalg", "SHA256withRSA", "-dname", "CN=" + alias + ",O=Vienreiz keytool test,C=LV",
			"-validity", "30", "-ext", "KeyUsage=digitalSignature,keyEncipherment",
			"-keystore", store, "-storetype", storeType, "-storepass", "changeit"}
		if keyPass != "" {
			args = append(args, "-keypass", keyPass)
		}
		return args
	}
	// Two stores at once; the second key of gw.p12 must wait for the first.
	parallel(t, bin, dir, gen("blue_gw", "gw.p12", "PKCS12", ""), gen("blue_gw", "gw.jks", "JKS", "keypass1"))
	keytool(t, bin, dir, gen("red_gw", "gw.p12", "PKCS12", "")...)
	red, err := keys.LoadIdentityFile(filepath.Join(dir, "gw.p12"), "changeit", "red_gw", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "red.pem"), keys.EncodePEM(red.Cert), 0o600); err != nil {
		t.Fatal(err)
	}
	importCert := func(st string) []string {
		return []string{"-importcert", "-noprompt", "-alias", "red_gw", "-file", "red.pem",
			"-keystore", "trust." + strings.ToLower(st), "-storetype", st, "-storepass", "changeit"}
	}
	parallel(t, bin, dir, importCert("JKS"), importCert("PKCS12"))
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
		// keytool converts our PKCS#12 to JKS and our JKS to PKCS#12; we
		// read both results back.
		parallel(t, bin, dir,
			[]string{"-importkeystore", "-noprompt", "-srckeystore", "ours.p12", "-srcstoretype", "PKCS12",
				"-srcstorepass", "changeit", "-destkeystore", "conv.jks", "-deststoretype", "JKS", "-deststorepass", "changeit2"},
			[]string{"-importkeystore", "-noprompt", "-srckeystore", "ours.jks", "-srcstoretype", "JKS",
				"-srcstorepass", "changeit", "-destkeystore", "conv.p12", "-deststoretype", "PKCS12", "-deststorepass", "changeit3"})
		// keytool invents the alias of an unnamed PKCS#12 entry; "" takes
		// the only key entry.
		got, err := keys.LoadIdentityFile(filepath.Join(dir, "conv.jks"), "changeit2", "", "changeit")
		if err != nil {
			t.Fatalf("JKS converted by keytool: %v", err)
		}
		if !got.Cert.Equal(id.Cert) || len(got.Chain) != 2 {
			t.Errorf("converted JKS identity differs: %v, chain %d", got.Cert.Subject, len(got.Chain))
		}
		got, err = keys.LoadIdentityFile(filepath.Join(dir, "conv.p12"), "changeit3", "LV", "")
		if err != nil {
			t.Fatalf("PKCS#12 converted by keytool: %v", err)
		}
		if !got.Cert.Equal(id.Cert) || len(got.Chain) != 2 {
			t.Errorf("converted PKCS#12 identity differs: %v, chain %d", got.Cert.Subject, len(got.Chain))
		}
		if n, err := keys.NewTrustStore().AddFile(filepath.Join(dir, "conv.p12"), "changeit3"); err == nil {
			t.Errorf("a PKCS#12 keystore with a key entry was read as a truststore (%d certificates)", n)
		}
	})
}
