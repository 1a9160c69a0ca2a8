// Package spectest locates the shared OOTS specification data
// (../shared/oots-spec beside the repository) for tests.
package spectest

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the absolute path of the oots-spec folder, found by walking up
// from the working directory to the module root (the folder with go.mod) and
// then to ../shared/oots-spec. The test is skipped with a reason when the
// folder is absent, so a checkout without shared/ still builds and tests.
func Dir(tb testing.TB) string {
	tb.Helper()
	root, err := ModuleRoot()
	if err != nil {
		tb.Skipf("spec data: %v", err)
	}
	dir := filepath.Join(root, "..", "shared", "oots-spec")
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("spec data not found at %s: %v", dir, err)
	}
	return dir
}

// ModuleRoot returns the nearest folder at or above the working directory
// that holds go.mod.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}

// Validator returns the path of the oots-validate tool, or skips the test
// with the reason when it or the Java and xmllint tools it needs are missing.
func Validator(tb testing.TB) string {
	tb.Helper()
	tool := filepath.Join(Dir(tb), "..", "tools", "oots-validate")
	if _, err := os.Stat(tool); err != nil {
		tb.Skipf("oots-validate not found: %v", err)
	}
	for _, need := range []string{"java", "xmllint"} {
		if _, err := lookPath(need); err != nil {
			tb.Skipf("oots-validate needs %s (apt-get install libxml2-utils libsaxonhe-java default-jre-headless): %v", need, err)
		}
	}
	if _, err := os.Stat("/usr/share/java/Saxon-HE.jar"); err != nil && os.Getenv("SAXON_JAR") == "" {
		tb.Skipf("oots-validate needs Saxon-HE (apt-get install libsaxonhe-java): %v", err)
	}
	return tool
}
