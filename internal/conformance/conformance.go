// Package conformance checks OOTS v1.0 messages against the official XSD
// schemas (with xmllint) and the official Schematron business rules, compiled
// to XSLT, (with Saxon-HE), using the project's copy of the specification data
// in third_party/oots-spec. Both tools come from Debian: libxml2-utils,
// libsaxonhe-java and default-jre-headless.
//
// Many messages are checked in one call: xmllint runs once per schema and
// Saxon once per rule set, over a folder holding every message that rule set
// applies to, so a batch costs a few JVM starts however many messages it has.
package conformance

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// InstallHint is the command that installs the tools the validator needs.
const InstallHint = "apt-get install -y libxml2-utils libsaxonhe-java default-jre-headless"

// Doc is one message to check.
type Doc struct {
	Name string // shown in findings; any text
	Data []byte
	Kind Kind // Auto: detected from the content
}

// Finding is one XSD error or one failed Schematron assertion.
type Finding struct {
	RuleSet  string // "XSD", or a rule set such as "EDM-REQ-C"
	Rule     string // the rule id, e.g. "R-EDM-REQ-C039"; empty for XSD errors
	Location string // XPath of the node (Schematron) or "line N" (XSD)
	Text     string
	Warning  bool // a SHOULD / MAY / informational rule, not an error
}

func (f Finding) String() string {
	sev := "error"
	if f.Warning {
		sev = "warning"
	}
	id := f.RuleSet
	if f.Rule != "" {
		id += " " + f.Rule
	}
	return fmt.Sprintf("%s: [%s] %s: %s", sev, id, f.Location, f.Text)
}

// Result is what the validator found in one Doc.
type Result struct {
	Name     string
	Kind     Kind
	RuleSets []string // the Schematron rule sets run on it
	Findings []Finding
}

// Errors returns the findings that are not warnings.
func (r Result) Errors() []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if !f.Warning {
			out = append(out, f)
		}
	}
	return out
}

// HasRule reports whether an error of the given rule id was found.
func (r Result) HasRule(id string) bool {
	for _, f := range r.Errors() {
		if f.Rule == id {
			return true
		}
	}
	return false
}

// Validator runs the official checks. Make one with New.
type Validator struct {
	spec     string // third_party/oots-spec
	xmllint  string
	java     string
	saxonJar string
}

// New returns a validator reading the specification data in specDir, or an
// error naming each missing tool and how to install it. SAXON_JAR overrides
// the Debian location of the Saxon-HE jar.
func New(specDir string) (*Validator, error) {
	v := &Validator{spec: specDir, saxonJar: os.Getenv("SAXON_JAR")}
	if v.saxonJar == "" {
		v.saxonJar = "/usr/share/java/Saxon-HE.jar"
	}
	var missing []string
	var err error
	if v.xmllint, err = exec.LookPath("xmllint"); err != nil {
		missing = append(missing, "xmllint")
	}
	if v.java, err = exec.LookPath("java"); err != nil {
		missing = append(missing, "java")
	}
	if _, err := os.Stat(v.saxonJar); err != nil {
		missing = append(missing, "Saxon-HE ("+v.saxonJar+")")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("conformance: missing %s; install with: %s", strings.Join(missing, ", "), InstallHint)
	}
	for _, f := range []string{schemaFile(specDir, false), schemaFile(specDir, true), v.ruleFile("EDM-REQ-C")} {
		if _, err := os.Stat(f); err != nil {
			return nil, fmt.Errorf("conformance: specification data: %w", err)
		}
	}
	return v, nil
}

func schemaFile(spec string, ebms bool) string {
	if ebms {
		return filepath.Join(spec, "xsd", "ebms3", "oots-validation-entry-ebms3.xsd")
	}
	return filepath.Join(spec, "xsd", "v1.0", "oots-validation-entry-v1.0.xsd")
}

func (v *Validator) ruleFile(set string) string {
	return filepath.Join(v.spec, "sch-compiled", "v1.0", set+".xsl")
}

// Validate checks every doc and returns one Result per doc, in order. The
// error is for a failure of the tools themselves, not of a message.
func (v *Validator) Validate(ctx context.Context, docs []Doc) ([]Result, error) {
	dir, err := os.MkdirTemp("", "conformance-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)

	results := make([]Result, len(docs))
	paths := make([]string, len(docs))
	bySet := map[string][]int{}  // rule set → docs
	bySchema := map[bool][]int{} // ebms? → docs
	for i, d := range docs {
		results[i].Name = d.Name
		paths[i] = filepath.Join(dir, fmt.Sprintf("doc%04d.xml", i))
		if err := os.WriteFile(paths[i], d.Data, 0o600); err != nil {
			return nil, err
		}
		kind, sets, err := detect(d.Data, d.Kind)
		if err != nil {
			results[i].Findings = append(results[i].Findings, Finding{RuleSet: "XML", Location: "/", Text: err.Error()})
			continue
		}
		results[i].Kind, results[i].RuleSets = kind, sets
		bySchema[kind == EbMS] = append(bySchema[kind == EbMS], i)
		for _, s := range sets {
			bySet[s] = append(bySet[s], i)
		}
	}

	var mu sync.Mutex
	add := func(i int, f ...Finding) {
		mu.Lock()
		results[i].Findings = append(results[i].Findings, f...)
		mu.Unlock()
	}
	var jobs []func() error
	for ebms, idx := range bySchema {
		jobs = append(jobs, func() error { return v.schemaCheck(ctx, schemaFile(v.spec, ebms), idx, paths, add) })
	}
	sets := make([]string, 0, len(bySet))
	for s := range bySet {
		sets = append(sets, s)
	}
	sort.Strings(sets)
	for _, s := range sets {
		jobs = append(jobs, func() error { return v.ruleCheck(ctx, dir, s, bySet[s], docs, add) })
	}
	if err := runLimited(2, jobs); err != nil {
		return nil, err
	}
	for i := range results {
		sortFindings(results[i].Findings)
	}
	return results, nil
}

// runLimited runs the jobs, at most n at a time (the JVMs are heavy).
func runLimited(n int, jobs []func() error) error {
	sem := make(chan struct{}, n)
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, job := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			errs[i] = job()
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(a, b int) bool {
		if fs[a].RuleSet != fs[b].RuleSet {
			return fs[a].RuleSet < fs[b].RuleSet
		}
		return fs[a].Rule < fs[b].Rule
	})
}

// schemaCheck runs xmllint once on the docs idx against schema.
func (v *Validator) schemaCheck(ctx context.Context, schema string, idx []int, paths []string, add func(int, ...Finding)) error {
	args := []string{"--noout", "--nonet", "--schema", schema}
	byPath := map[string]int{}
	for _, i := range idx {
		args = append(args, paths[i])
		byPath[paths[i]] = i
	}
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, v.xmllint, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	runErr := cmd.Run()
	if _, ok := runErr.(*exec.ExitError); runErr != nil && !ok {
		return fmt.Errorf("conformance: xmllint: %w", runErr)
	}
	failed := map[int]bool{}
	reported := map[int]bool{}
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.Contains(line, "Schemas parser warning") {
			continue
		}
		path, rest, ok := strings.Cut(line, ":")
		i, known := byPath[path]
		if !ok || !known {
			// "FILE fails to validate" / "FILE validates" have no colon after the name
			for p, j := range byPath {
				if line == p+" fails to validate" {
					failed[j] = true
				}
			}
			continue
		}
		lineNo, msg, _ := strings.Cut(rest, ":")
		add(i, Finding{RuleSet: "XSD", Location: "line " + lineNo, Text: strings.TrimSpace(msg)})
		reported[i] = true
	}
	for i := range failed {
		if !reported[i] {
			add(i, Finding{RuleSet: "XSD", Location: "/", Text: "fails to validate"})
		}
	}
	return nil
}

// ruleCheck runs one compiled rule set over the docs idx in one Saxon run
// (Saxon transforms every file of a folder when -s names a folder).
func (v *Validator) ruleCheck(ctx context.Context, dir, set string, idx []int, docs []Doc, add func(int, ...Finding)) error {
	in := filepath.Join(dir, "in-"+set)
	out := filepath.Join(dir, "out-"+set)
	for _, d := range []string{in, out} {
		if err := os.Mkdir(d, 0o700); err != nil {
			return err
		}
	}
	for _, i := range idx {
		if err := os.WriteFile(filepath.Join(in, fmt.Sprintf("doc%04d.xml", i)), docs[i].Data, 0o600); err != nil {
			return err
		}
	}
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, v.java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
		"-cp", v.saxonJar, "net.sf.saxon.Transform", "-s:"+in, "-o:"+out, "-xsl:"+v.ruleFile(set))
	cmd.Stderr = &stderr
	runErr := cmd.Run()
	for _, i := range idx {
		svrl, err := os.ReadFile(filepath.Join(out, fmt.Sprintf("doc%04d.xml", i)))
		if err != nil {
			return fmt.Errorf("conformance: %s on %s: no report (%v): %s", set, docs[i].Name, runErr, firstLines(stderr.String(), 5))
		}
		fs, err := parseSVRL(set, svrl)
		if err != nil {
			return fmt.Errorf("conformance: %s on %s: %w", set, docs[i].Name, err)
		}
		add(i, fs...)
	}
	return nil
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}
