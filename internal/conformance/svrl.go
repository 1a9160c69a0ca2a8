package conformance

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/beevik/etree"
)

// parseSVRL reads the findings of one rule set from its SVRL report.
func parseSVRL(set string, data []byte) ([]Finding, error) {
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(data); err != nil {
		return nil, fmt.Errorf("SVRL report: %w", err)
	}
	if doc.Root() == nil {
		return nil, fmt.Errorf("SVRL report is empty")
	}
	var out []Finding
	for _, e := range doc.Root().ChildElements() {
		if e.Tag != "failed-assert" && e.Tag != "successful-report" {
			continue
		}
		text := ""
		if t := e.SelectElement("text"); t != nil {
			text = strings.Join(strings.Fields(deepText(t)), " ")
		}
		out = append(out, Finding{
			RuleSet:  set,
			Rule:     e.SelectAttrValue("id", ""),
			Location: readableLocation(e.SelectAttrValue("location", "")),
			Text:     text,
			Warning:  isWarning(e.SelectAttrValue("role", ""), e.SelectAttrValue("flag", ""), text),
		})
	}
	return out, nil
}

// isWarning tells a recommendation from a requirement. The rules mark some
// with role or flag; unmarked ones are recommendations when their text says
// SHOULD or MAY and never MUST (RFC 2119 words).
func isWarning(role, flag, text string) bool {
	for _, m := range []string{role, flag} {
		switch strings.ToLower(strings.TrimSpace(m)) {
		case "info", "information", "warning", "warn":
			return true
		case "":
		default:
			return false
		}
	}
	words := map[string]bool{}
	for _, w := range regexp.MustCompile(`[A-Z]+`).FindAllString(text, -1) {
		words[w] = true
	}
	return (words["SHOULD"] || words["MAY"]) && !words["MUST"]
}

var qname = regexp.MustCompile(`Q\{([^}]*)\}`)

// readableLocation shortens Saxon's Q{namespace}name steps to prefix:name.
func readableLocation(loc string) string {
	prefixes := map[string]string{
		nsQuery: "query:", nsRS: "rs:", nsLCM: "lcm:",
		"urn:oasis:names:tc:ebxml-regrep:xsd:rim:4.0": "rim:",
		"http://data.europa.eu/p4s":                   "sdg:",
		"http://www.w3.org/XML/1998/namespace":        "xml:",
		"":                                            "",
	}
	return qname.ReplaceAllStringFunc(loc, func(m string) string {
		ns := qname.FindStringSubmatch(m)[1]
		if p, ok := prefixes[ns]; ok {
			return p
		}
		return m
	})
}

var ruleID = regexp.MustCompile(`<(?:sch:)?(?:assert|report)\s[^<]*?\bid="([^"]+)"`)

// Rules returns the ids of the rules (asserts and reports) of the given
// official rule sets, read from the Schematron sources.
func (v *Validator) Rules(sets ...string) ([]string, error) {
	seen := map[string]bool{}
	var ids []string
	for _, set := range sets {
		data, err := os.ReadFile(filepath.Join(v.spec, "sch", "v1.0", set+".sch"))
		if err != nil {
			return nil, err
		}
		for _, m := range ruleID.FindAllSubmatch(data, -1) {
			if id := string(m[1]); !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	return ids, nil
}
