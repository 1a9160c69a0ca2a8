package ui

import (
	"os/exec"
	"strings"
	"testing"
)

// TestUIImportsNoOOTSPackage holds the import rule of docs/ARCHITECTURE.md:
// the UI reaches the exchange only through app/, so no package under
// oots/ is among its dependencies.
func TestUIImportsNoOOTSPackage(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.Contains(pkg, "/vienreiz/oots/") {
			t.Errorf("ui depends on %s", pkg)
		}
	}
}
