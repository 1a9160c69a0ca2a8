package edm

import (
	"bytes"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/internal/spectest"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// sample is one EDM message found under samples/edm.
type sample struct {
	name string // path relative to samples/edm
	data []byte
}

var payloadRE = regexp.MustCompile(`(?s)<payload[^>]*?(?:contentType="application/x-ebrs\+xml"[^>]*)?>\s*<value>([^<]+)</value>`)

// edmSamples returns every file under samples/edm whose root is an EDM
// message, plus the RegRep payloads base64-embedded in the Domibus
// envelopes of the oots-france samples (named <file>#payload).
func edmSamples(t testing.TB) []sample {
	t.Helper()
	dir := filepath.Join(spectest.Dir(t), "samples", "edm")
	var out []sample
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".xml") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if isEDM(data) {
			out = append(out, sample{rel, data})
			return nil
		}
		for i, m := range payloadRE.FindAllSubmatch(data, -1) {
			dec, err := base64.StdEncoding.DecodeString(string(bytes.TrimSpace(m[1])))
			if err == nil && isEDM(dec) {
				out = append(out, sample{rel + "#payload" + string(rune('0'+i)), dec})
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

var rootRE = regexp.MustCompile(`<([A-Za-z_][\w.-]*:)?(QueryRequest|QueryResponse)[\s>]`)

func isEDM(data []byte) bool {
	// The first element after the prolog and comments decides.
	s := string(data)
	for {
		s = strings.TrimLeft(s, " \t\r\n\ufeff")
		switch {
		case strings.HasPrefix(s, "<?"):
			i := strings.Index(s, "?>")
			if i < 0 {
				return false
			}
			s = s[i+2:]
		case strings.HasPrefix(s, "<!--"):
			i := strings.Index(s, "-->")
			if i < 0 {
				return false
			}
			s = s[i+3:]
		default:
			m := rootRE.FindStringIndex(s)
			return m != nil && m[0] == 0
		}
	}
}

// incomplete lists the samples that are not complete messages, with the
// error Parse must give: the official per-slot snippets, and the
// hand-made oots-france fixtures whose slots are elided ("<!-- … -->") or
// whose preview location is "undefined".
var incomplete = map[string]string{
	"v1.0/tdd-snippets/Error/2.1 ebRIM QueryResponseError example.snippet.xml": `slot "Timestamp": missing`,
	"v1.0/tdd-snippets/Request/ebRIM_QueryRequest_tempate.snippet.xml":         `slot "SpecificationIdentifier": missing`,
	"v2.0-oots-france/incoming/erreurAutorisationRequise.xml#payload0":         `slot "SpecificationIdentifier": missing`,
	"v2.0-oots-france/incoming/erreurSansCode.xml#payload0":                    `slot "SpecificationIdentifier": missing`,
	"v2.0-oots-france/incoming/erreurObjetIntrouvable.xml#payload0":            `slot "PreviewLocation": invalid value: "undefined" is not an https URL`,
	"v2.0-oots-france/incoming/reponseAvecPieceJointe.xml#payload0":            `slot "SpecificationIdentifier": rim:SlotValue: missing`,
	"v2.0-oots-france/incoming/requete.demarcheInconnue.xml#payload0":          `slot "SpecificationIdentifier": rim:SlotValue: missing`,
	"v2.0-oots-france/incoming/requete.sansProcedure.xml#payload0":             `slot "SpecificationIdentifier": rim:SlotValue: missing`,
	"v2.0-oots-france/incoming/requete.sansRequeteur.xml#payload0":             `slot "SpecificationIdentifier": rim:SlotValue: missing`,
	"v2.0-oots-france/incoming/requete.xml#payload0":                           `slot "SpecificationIdentifier": rim:SlotValue: missing`,
}

// nonConformant are the samples that break an OOTS business rule on a code
// list, identifier or date format: Parse refuses each, naming the rule.
var nonConformant = map[string]string{
	"v0.99-governikus/Birth Certificate/oots_request.xml":                                                                                   "R-EDM-REQ-S004", // id without urn:uuid:
	"v0.99-governikus/Birth Certificate/oots_response.xml":                                                                                  "R-EDM-RESP-S004",
	"v0.99-governikus/Secondary Education Completion Evidence/oots_exception_preview.xml":                                                   "R-EDM-ERR-S004",
	"v0.99-governikus/Secondary Education Completion Evidence/oots_request1_preview.xml":                                                    "R-EDM-REQ-S004",
	"v0.99-governikus/Secondary Education Completion Evidence/oots_request2_after_preview.xml":                                              "R-EDM-REQ-S004",
	"v0.99-governikus/Secondary Education Completion Evidence/oots_response.xml":                                                            "R-EDM-RESP-S004",
	"v1.0/tdd-examples/4 Example for requesting an Extract of a Commercial Register/4.1 Step 1  Evidence Request  - Tax - full example.xml": "R-EDM-REQ-C061", // GR/DE/…: the list has EL
	"v2.0-oots-france/incoming/reel/requete.xml#payload0":                                                                                   "R-EDM-REQ-C003", // procedure "00"
}

// parsedSample is a complete sample with its parsed message.
type parsedSample struct {
	sample
	msg Message
}

// completeSamples parses every sample; complete ones must parse, the
// incomplete ones must fail with the listed error.
func completeSamples(t *testing.T) []parsedSample {
	t.Helper()
	var out []parsedSample
	seen := 0
	for _, s := range edmSamples(t) {
		msg, err := Parse(s.data)
		if rule, ok := nonConformant[s.name]; ok {
			seen++
			var re *RuleError
			if !errors.As(err, &re) || re.Rule != rule {
				t.Errorf("%s: err = %v, want a RuleError of %s", s.name, err, rule)
			}
			continue
		}
		if want, ok := incomplete[s.name]; ok {
			seen++
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: err = %v, want one containing %q", s.name, err, want)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", s.name, err)
			continue
		}
		out = append(out, parsedSample{s, msg})
	}
	if seen != len(incomplete)+len(nonConformant) {
		t.Errorf("found %d of the %d incomplete and non-conformant samples; the sample set changed", seen, len(incomplete)+len(nonConformant))
	}
	return out
}

func goldenName(sampleName string) string {
	r := strings.NewReplacer("/", "__", " ", "_", "#", "_")
	return filepath.Join("testdata", "golden", r.Replace(strings.TrimSuffix(sampleName, ".xml"))+".xml")
}

// TestSamplesRoundTrip: every complete sample parses, re-marshals in its own
// version to the golden file, and the golden parses back to the same values.
func TestSamplesRoundTrip(t *testing.T) {
	samples := completeSamples(t)
	if len(samples) < 45 {
		t.Fatalf("only %d complete samples found", len(samples))
	}
	counts := map[string]int{}
	for _, s := range samples {
		counts[fmt.Sprintf("%T v%d", s.msg, s.msg.SpecVersion().Major())]++
		out, err := MarshalIndent(s.msg, s.msg.SpecVersion())
		if err != nil {
			t.Errorf("%s: marshal: %v", s.name, err)
			continue
		}
		golden := goldenName(s.name)
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, out, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Errorf("%s: %v (run go test -update)", s.name, err)
			continue
		}
		if !bytes.Equal(out, want) {
			t.Errorf("%s: output differs from %s (run go test -update and review the diff)", s.name, golden)
		}
		compact, err := s.msg.Marshal(s.msg.SpecVersion())
		if err != nil {
			t.Errorf("%s: marshal: %v", s.name, err)
			continue
		}
		back, err := Parse(compact)
		if err != nil {
			t.Errorf("%s: re-parse: %v", s.name, err)
			continue
		}
		if diff := compareMessages(s.msg, back); diff != "" {
			t.Errorf("%s: fields lost in Build(Parse(x)): %s", s.name, diff)
		}
	}
	t.Logf("complete samples by type and major version: %v", counts)
}
