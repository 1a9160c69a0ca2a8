package xmlsafe

import (
	"errors"
	"strings"
	"testing"
)

func TestParseRejectsHostileInput(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"external entity (XXE)", `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>`, ErrDoctype},
		{"billion laughs", `<!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><l>&b;</l>`, ErrDoctype},
		{"lower-case doctype", `<!doctype r><r/>`, ErrDoctype},
		{"empty", ``, ErrEmpty},
		{"only a comment", `<!-- nothing -->`, ErrEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.in), 0)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse(%q) error = %v, want %v", tt.in, err, tt.want)
			}
		})
	}
}

func TestParseRejectsMalformedAndOversize(t *testing.T) {
	if _, err := Parse(strings.NewReader(`<a><b></a>`), 0); err == nil || !strings.Contains(err.Error(), "malformed xml") {
		t.Fatalf("mismatched tags: error = %v, want malformed xml", err)
	}
	big := "<a>" + strings.Repeat("x", 200) + "</a>"
	if _, err := Parse(strings.NewReader(big), 100); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("oversize: error = %v, want ErrTooLarge", err)
	}
}

func TestParseAcceptsCommentsAndCDATA(t *testing.T) {
	doc, err := Parse(strings.NewReader(`<?xml version="1.0"?><!-- c --><r><![CDATA[<!x>]]></r>`), 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.Root().Text(); got != "<!x>" {
		t.Fatalf("text = %q, want %q", got, "<!x>")
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`<r a="1"><b>t</b></r>`))
	f.Add([]byte(`<!DOCTYPE r><r/>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ParseBytes(data)
		if err == nil && doc.Root() == nil {
			t.Fatal("nil error but no root")
		}
	})
}

func TestParseRejectsDirectiveInsideElement(t *testing.T) {
	if _, err := Parse(strings.NewReader(`<r><!ENTITY x "y"></r>`), 0); !errors.Is(err, ErrDoctype) {
		t.Fatalf("error = %v, want ErrDoctype", err)
	}
}

func TestParseRejectsDeepNesting(t *testing.T) {
	deep := strings.Repeat("<a>", MaxDepth+1) + strings.Repeat("</a>", MaxDepth+1)
	if _, err := Parse(strings.NewReader(deep), 0); !errors.Is(err, ErrTooDeep) {
		t.Fatalf("nesting %d deep: error = %v, want ErrTooDeep", MaxDepth+1, err)
	}
	ok := strings.Repeat("<a>", MaxDepth) + strings.Repeat("</a>", MaxDepth)
	if _, err := Parse(strings.NewReader(ok), 0); err != nil {
		t.Fatalf("nesting exactly %d deep rejected: %v", MaxDepth, err)
	}
}
