package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// demoPackages are the packages a nodemo build must not link: the demo
// network and member state, their test PKI, the provider side and the
// demo directory data.
var demoPackages = []string{"/demonet", "/demonode", "/testpki", "/pmode/demo", "/oots/provider", "/commonsvc/demodir"}

func TestNodemoBuildLinksNoDemoPackage(t *testing.T) {
	out, err := exec.Command("go", "list", "-tags", "nodemo", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "github.com/vienreiz/vienreiz/oots/exchange") {
		t.Fatalf("go list printed no exchange package; the check would pass vacuously:\n%s", out)
	}
	for _, dep := range deps {
		for _, bad := range demoPackages {
			if strings.HasSuffix(dep, bad) || strings.Contains(dep, bad+"/") {
				t.Errorf("the nodemo build links %s", dep)
			}
		}
	}
	// The default build does link the demo: the list above would catch it.
	out, err = exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	if !slices.Contains(strings.Fields(string(out)), "github.com/vienreiz/vienreiz/oots/demonet") {
		t.Errorf("the default build does not link the demo network")
	}
}

func TestNodemoBuildRequiresANetwork(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "vienreiz-server")
	if out, err := exec.Command("go", "build", "-tags", "nodemo", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build -tags nodemo: %v\n%s", err, out)
	}
	// Nor does it carry the demo directory's data (a demo provider's
	// street, in package demodir only).
	if b, err := os.ReadFile(bin); err != nil || bytes.Contains(b, []byte("Čiekurkalna 1. līnija")) {
		t.Fatalf("the nodemo binary carries the demo directory (%v)", err)
	}
	cmd := exec.Command(bin, "-data-dir", t.TempDir(), "-listen", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "VIENREIZ_NETWORK=")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != 1 || !strings.Contains(stderr.String(), "-network is required") {
		t.Fatalf("nodemo server without -network: exit %d (%v), output %q; want exit 1 naming -network", code, err, stderr.String())
	}
}
