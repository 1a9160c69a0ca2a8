package demonode_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/vienreiz/vienreiz/internal/conformance"
	"github.com/vienreiz/vienreiz/internal/spectest"
	"github.com/vienreiz/vienreiz/oots/as4"
	"github.com/vienreiz/vienreiz/oots/edm"
	"github.com/vienreiz/vienreiz/oots/provider"
)

var update = flag.Bool("update", false, "rewrite testdata/wire-v2-*.txt")

// TestWireCapture runs real exchanges between the two access points —
// preview approved and delivered, preview refused, an evidence type the
// provider does not serve, a German v1.0 and a Finnish v2.0 provider — and
// collects every EDM payload the AS4 senders of both sides accepted.
//   - v1.0: all go through the official XSD and Schematron in one batch;
//     0 errors. Their AS4 properties are those of the v1.0 header samples.
//   - v2.0: there is no official v2.0 schema or rule set here; each is
//     compared element by element with the oots-france v2.0 sample of its
//     kind, the differences kept as golden files (testdata/wire-v2-*.txt).
func TestWireCapture(t *testing.T) {
	w := newWorld(t)

	q := w.query("birth", "application/xml")
	loc := w.previewRequired(q)
	w.decide(loc, q.Subject.Identifier, provider.DecisionApprove)
	q.PreviewLocation = loc
	w.send(q)
	if _, ok := w.next().Message.(*edm.QueryResponse); !ok {
		t.Fatal("approved preview: no evidence")
	}

	q = w.query("birth", "application/pdf")
	loc = w.previewRequired(q)
	w.decide(loc, q.Subject.Identifier, provider.DecisionRefuse)
	q.PreviewLocation = loc
	w.send(q)
	exception(t, w.next())

	q = w.query("birth", "application/pdf")
	q.EvidenceType.ID = "8c1e2f3a-0000-4000-8000-000000000001"
	q.EvidenceType.Classification = "https://sr.oots.tech.europa.eu/evidencetypeclassifications/LV/8c1e2f3a-0000-4000-8000-000000000002"
	w.send(q)
	if x := exception(t, w.next()); x.Exception.Code != edm.CodeUnresolvedReference {
		t.Fatalf("unknown evidence type: %s", x.Exception.Code)
	}

	for _, c := range []struct{ country, region, word string }{{"DE", "DE3", "registration"}, {"FI", "", "birth"}} {
		q = w.queryIn(c.country, c.region, c.word, "application/pdf")
		w.send(q)
		exception(t, w.next())
	}
	w.noMore(300 * time.Millisecond)

	w.mu.Lock()
	wire := append([]wireMsg(nil), w.wire...)
	w.mu.Unlock()
	var v1 []conformance.Doc
	v2 := map[string][]byte{}
	for i, m := range wire {
		msg, err := edm.Parse(m.body)
		if err != nil {
			t.Fatalf("captured %s: %v", m.action, err)
		}
		name := fmt.Sprintf("%02d-%s", i, m.action)
		props := map[string]bool{}
		for _, p := range m.props {
			props[p.Name] = true
		}
		switch v := msg.SpecVersion(); v.Major() {
		case 1:
			if props["ExchangeId"] || props["SpecificationId"] || !props[as4.PropOriginalSender] || !props[as4.PropFinalRecipient] {
				t.Errorf("%s: v1.0 message properties %v; want originalSender and finalRecipient only", name, m.props)
			}
			v1 = append(v1, conformance.Doc{Name: name, Data: m.body})
		case 2:
			if !props["ExchangeId"] || !props["SpecificationId"] {
				t.Errorf("%s: v2.0 message properties %v; want ExchangeId and SpecificationId", name, m.props)
			}
			v2[kindOf(msg)] = m.body
		}
	}
	errs := 0
	for _, r := range spectest.Validate(t, v1...) {
		for _, f := range r.Errors() {
			errs++
			t.Errorf("%s (%s): %v", r.Name, r.Kind, f)
		}
	}
	if len(v1) < 12 || len(v2) < 2 {
		t.Fatalf("captured %d v1.0 and %d v2.0 kinds of EDM message; want ≥ 12 and 2", len(v1), len(v2))
	}
	t.Logf("wire capture: %d v1.0 EDM messages validated in one batch, %d errors; %d v2.0 kinds compared", len(v1), errs, len(v2))

	ref := filepath.Join(spectest.Dir(t), "samples", "edm", "v2.0-oots-france", "reference")
	for kind, body := range v2 {
		sample := map[string]string{"request": "requete.xml", "response": "reponse.xml", "error": "erreur.xml"}[kind]
		want, err := os.ReadFile(filepath.Join(ref, sample))
		if err != nil {
			t.Fatal(err)
		}
		diff := structureDiff(t, body, want)
		golden := filepath.Join("testdata", "wire-v2-"+kind+".txt")
		if *update {
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, []byte(diff), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		have, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update and review it)", err)
		}
		if !bytes.Equal(have, []byte(diff)) {
			t.Errorf("v2.0 %s: the differences from oots-france %s changed:\n%s\nwas:\n%s", kind, sample, diff, have)
		}
	}
}

func kindOf(m edm.Message) string {
	switch m.(type) {
	case *edm.QueryRequest:
		return "request"
	case *edm.QueryResponse:
		return "response"
	}
	return "error"
}

// structureDiff lists the element paths (slots by name) of ours missing in
// theirs and the reverse.
func structureDiff(t *testing.T, ours, theirs []byte) string {
	a, b := paths(t, ours), paths(t, theirs)
	var out []string
	for p := range a {
		if !b[p] {
			out = append(out, "+ "+p)
		}
	}
	for p := range b {
		if !a[p] {
			out = append(out, "- "+p)
		}
	}
	sort.Strings(out)
	return "# element paths of our message (+) and of the oots-france sample (-) not in the other\n" + strings.Join(out, "\n") + "\n"
}

func paths(t *testing.T, data []byte) map[string]bool {
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(data); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	var walk func(e *etree.Element, prefix string)
	walk = func(e *etree.Element, prefix string) {
		step := e.Tag
		if n := e.SelectAttrValue("name", ""); e.Tag == "Slot" && n != "" {
			step += "[" + n + "]"
		}
		p := prefix + "/" + step
		out[p] = true
		for _, c := range e.ChildElements() {
			walk(c, p)
		}
	}
	walk(doc.Root(), "")
	return out
}
