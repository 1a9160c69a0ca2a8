package edm

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/internal/spectest"
)

// constructed returns the typical messages built from Go values, by name.
func constructed(t testing.TB) map[string][]byte {
	t.Helper()
	msgs := constructedMessages()
	for c, r := range errorResponses() {
		msgs["error-"+strings.ReplaceAll(string(c), ":", "")] = r
	}
	post := previewResponse()
	post.Exception.PreviewMethod = "POST"
	msgs["error-preview-post"] = post
	out := map[string][]byte{}
	for name, m := range msgs {
		data, err := m.Marshal(V1)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = data
	}
	return out
}

// validate runs oots-validate once on all files and returns the error
// lines per file.
func validate(t *testing.T, files []string) map[string][]string {
	t.Helper()
	tool := spectest.Validator(t)
	cmd := exec.Command(tool, files...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() > 1) {
		t.Fatalf("oots-validate: %v\n%s\n%s", err, stdout.String(), stderr.String())
	}
	errs := map[string][]string{}
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		for _, f := range files {
			if strings.HasPrefix(line, f+": error: ") {
				errs[f] = append(errs[f], strings.TrimPrefix(line, f+": "))
			}
		}
	}
	for _, line := range strings.Split(stdout.String()+stderr.String(), "\n") {
		if strings.HasPrefix(line, "oots-validate: ") {
			t.Logf("%s", line)
		}
	}
	return errs
}

// TestValidatorAcceptsBuiltMessages runs the official v1.0 XSD and
// Schematron rules, in one validator call, on
//   - every typical message built from Go values (must give 0 errors), and
//   - every v1.0 sample and its Build(Parse(x)) re-write: when the
//     original has no error, the re-write must have none either.
func TestValidatorAcceptsBuiltMessages(t *testing.T) {
	spectest.Validator(t) // skip early, with the reason, when tools are missing
	dir := t.TempDir()
	var files []string
	built := map[string]string{} // file → name
	for name, data := range constructed(t) {
		f := filepath.Join(dir, name+".xml")
		if err := os.WriteFile(f, data, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
		built[f] = name
	}
	rewrites := map[string]string{} // rewrite file → original file
	specDir := filepath.Join(spectest.Dir(t), "samples", "edm")
	for i, s := range completeSamples(t) {
		if s.msg.SpecVersion() != V1 || strings.Contains(s.name, "#") {
			continue // the validator knows v1.0 only
		}
		out, err := s.msg.Marshal(V1)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		f := filepath.Join(dir, fmt.Sprintf("rewrite-%02d.xml", i))
		if err := os.WriteFile(f, out, 0o644); err != nil {
			t.Fatal(err)
		}
		orig := filepath.Join(specDir, s.name)
		files = append(files, f, orig)
		rewrites[f] = orig
	}
	sort.Strings(files)
	errs := validate(t, files)
	for f, name := range built {
		if len(errs[f]) > 0 {
			t.Errorf("built message %s: %d validator errors:\n%s", name, len(errs[f]), strings.Join(errs[f], "\n"))
		}
	}
	clean, dirty := 0, 0
	for f, orig := range rewrites {
		switch {
		case len(errs[orig]) == 0 && len(errs[f]) > 0:
			t.Errorf("rewrite of %s: %d validator errors, the original has none:\n%s", orig, len(errs[f]), strings.Join(errs[f], "\n"))
		case len(errs[orig]) == 0:
			clean++
		default:
			dirty++
			t.Logf("%s: the original has %d validator errors (sample data), the rewrite %d", filepath.Base(orig), len(errs[orig]), len(errs[f]))
		}
	}
	if dirty == 0 {
		t.Error("the validator reported no error for any sample, not even the known-bad ones: is its output still read correctly?")
	}
	if len(built) < 10 || clean < 20 {
		t.Errorf("checked %d built messages and %d clean rewrites; expected more", len(built), clean)
	}
	t.Logf("%d built messages and %d rewrites of clean v1.0 samples: 0 errors", len(built), clean)
}
