package demonode_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/oots/as4/pmode/demo"
	"github.com/vienreiz/vienreiz/oots/requester"
	"github.com/vienreiz/vienreiz/oots/requester/demonode"
)

// TestKeysPersistAcrossRestart: a second Start over the same folder loads
// the same keys, listens on new ports with the P-Modes rewritten to them,
// and the exchange still works.
func TestKeysPersistAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	answers := make(chan requester.Answer, 4)
	opts := demonode.Options{Dir: dir, Logger: quiet(), OnAnswer: func(_ context.Context, a requester.Answer) error {
		answers <- a
		return nil
	}}
	n1, err := demonode.Start(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	first := readCert(t, dir)
	eps := n1.ProviderEndpoints
	if err := n1.Close(); err != nil {
		t.Fatal(err)
	}
	n2, err := demonode.Start(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer n2.Close()
	if !bytes.Equal(first, readCert(t, dir)) {
		t.Fatal("the key store changed across a restart")
	}
	if n2.ProviderEndpoints[0] == eps[0] && n2.ProviderEndpoints[1] == eps[1] {
		t.Logf("same ports chosen again (%v); the rewrite is not exercised", eps)
	}
	side, err := demo.LoadSide(filepath.Join(dir, "pki", demonode.RequesterParty), demonode.DefaultPassword)
	if err != nil {
		t.Fatal(err)
	}
	if !side.Identity.Cert.Equal(n2.RequesterCert()) {
		t.Fatal("the running requester does not use the stored identity")
	}
	w := &world{t: t, node: n2, answers: answers}
	w.previewRequired(w.query("birth", "application/pdf"))
}

// TestStartRefused: the required options are named.
func TestStartRefused(t *testing.T) {
	if _, err := demonode.Start(context.Background(), demonode.Options{Dir: t.TempDir()}); err == nil {
		t.Fatal("Start without OnAnswer succeeded")
	}
	opts := demonode.Options{Dir: t.TempDir(), Password: "x", OnAnswer: func(context.Context, requester.Answer) error { return nil }, Logger: quiet()}
	n, err := demonode.Start(context.Background(), opts)
	if err != nil {
		t.Fatalf("Start with a password: %v", err)
	}
	n.Close()
	opts.Password = "wrong"
	if n, err := demonode.Start(context.Background(), opts); err == nil || !strings.Contains(err.Error(), "load LV side") {
		if n != nil {
			n.Close()
		}
		t.Fatalf("Start with the wrong password over stored keys: %v; want a load error", err)
	}
}

func readCert(t *testing.T, dir string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "pki", demonode.RequesterParty, demo.KeystoreFile))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
