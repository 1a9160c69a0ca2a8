// Package spectest gives tests the project's copy of the OOTS specification
// data (third_party/oots-spec) and the conformance validator. Neither ever
// skips a test: missing data or tools fail it, naming what to install, so a
// conformance test cannot quietly not run.
package spectest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/vienreiz/vienreiz/internal/conformance"
)

// Dir returns the absolute path of third_party/oots-spec in the module.
func Dir(tb testing.TB) string {
	tb.Helper()
	root, err := ModuleRoot()
	if err != nil {
		tb.Fatalf("spec data: module root: %v", err)
	}
	dir := filepath.Join(root, "third_party", "oots-spec")
	if _, err := os.Stat(dir); err != nil {
		tb.Fatalf("spec data: %v", err)
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

// Validator returns the official XSD + Schematron validator over Dir. The
// test fails when xmllint, Java or Saxon-HE is missing (`make test` installs
// them).
func Validator(tb testing.TB) *conformance.Validator {
	tb.Helper()
	v, err := conformance.New(Dir(tb))
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// Validate checks docs in one batch and returns one result per doc; a
// failure of the tools themselves fails the test.
func Validate(tb testing.TB, docs ...conformance.Doc) []conformance.Result {
	tb.Helper()
	res, err := Validator(tb).Validate(context.Background(), docs)
	if err != nil {
		tb.Fatal(err)
	}
	return res
}
