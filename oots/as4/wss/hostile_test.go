package wss

import (
	"errors"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

// deepWideEnvelope is a hostile envelope of about 8 MiB: a header nested
// depth levels deep (etree's limit is 1024) holding leaves elements all
// named like the ones the verifier looks for. Resolving each one's
// namespace by walking up to the root would cost depth×leaves steps.
func deepWideEnvelope(depth, leaves int) []byte {
	var b strings.Builder
	b.WriteString(`<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Header>`)
	b.WriteString(strings.Repeat("<Messaging>", depth))
	b.WriteString(strings.Repeat("<Signature/>", leaves))
	b.WriteString(strings.Repeat("</Messaging>", depth))
	b.WriteString(`</e:Header><e:Body/></e:Envelope>`)
	return []byte(b.String())
}

// readUnchecked parses without xmlsafe's depth limit, to test that the
// verifier itself stays linear on what a more lenient parser would pass.
func readUnchecked(tb testing.TB, data []byte) *etree.Document {
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(data); err != nil {
		tb.Fatal(err)
	}
	return doc
}

func TestDeepWideEnvelopeRefused(t *testing.T) {
	data := deepWideEnvelope(1000, 20000)
	if _, err := xmlsafe.ParseBytes(data); !errors.Is(err, xmlsafe.ErrTooDeep) {
		t.Fatalf("xmlsafe: error = %v, want ErrTooDeep", err)
	}
	doc := readUnchecked(t, data)
	if _, err := Verify(doc, nil, getPKI(t).trust, testNow); !errors.Is(err, ErrPolicyNoncompliance) {
		t.Fatalf("Verify error = %v, want ErrPolicyNoncompliance", err)
	}
	spool, _ := tempSpool(t)
	if _, err := Decrypt(doc, nil, getPKI(t).receiver, spool); !errors.Is(err, ErrPolicyNoncompliance) {
		t.Fatalf("Decrypt error = %v, want ErrPolicyNoncompliance", err)
	}
}

// BenchmarkDeepWideEnvelope reports the time Verify spends refusing an
// 8 MiB deep-and-wide envelope as a multiple of parsing it (x-parse); a
// per-element walk to the root made this about 3 s, some 3× the parse.
func BenchmarkDeepWideEnvelope(b *testing.B) {
	data := deepWideEnvelope(1000, (8<<20)/12)
	var parse, verify float64
	for b.Loop() {
		t := nowNano()
		doc := readUnchecked(b, data)
		t2 := nowNano()
		if _, err := Verify(doc, nil, nil, testNow); err == nil {
			b.Fatal("hostile envelope verified")
		}
		parse += float64(t2 - t)
		verify += float64(nowNano() - t2)
	}
	b.ReportMetric(verify/parse, "x-parse")
}
