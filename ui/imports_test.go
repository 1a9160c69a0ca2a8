package ui

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
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

// TestScreensDoNotDecideFromStates: which step and actions a request
// offers is decided in app (app.ViewOf), not by screens comparing state
// names or timeline events.
func TestScreensDoNotDecideFromStates(t *testing.T) {
	sources, _ := filepath.Glob("*.go")
	literal := regexp.MustCompile(`"(draft|needs_attributes|ready|sent|preview_required|approved|delivered|refused|failed|expired|cancelled|explicit_request_given)"`)
	for _, src := range sources {
		if strings.HasSuffix(src, "_test.go") {
			continue
		}
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if m := literal.FindAllString(string(data), -1); len(m) > 0 {
			t.Errorf("%s decides from request states or events %v; use app.ViewOf", src, m)
		}
	}
}
