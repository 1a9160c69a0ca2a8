package wss

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
	"github.com/russellhaering/goxmldsig/etreeutils"

	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

// c14nDocs exercise exclusive c14n: namespaces declared above and unused,
// re-declared, undeclared defaults, attributes of several namespaces,
// escaping in text and attributes, CDATA and processing instructions.
var c14nDocs = []string{
	`<a:root xmlns:a="urn:a" xmlns:b="urn:b" xmlns:unused="urn:u"><b:child b:x="1" y="2"/><a:child/></a:root>`,
	`<root xmlns="urn:d"><inner xmlns=""><deep xmlns="urn:d">t</deep></inner><inner2/></root>`,
	`<root z="1" a="2" xmlns:p="urn:z" xmlns:q="urn:a" p:k="3" q:k="4" q:a="5"><p:e q:zz="6" p:aa="7"/></root>`,
	`<r xmlns:p="urn:p"><p:x xmlns:p="urn:other"><p:y xmlns:p="urn:p"/></p:x></r>`,
	"<r a=\"tab&#9;lf&#10;cr&#13;q&quot;lt&lt;amp&amp;gt>\">text &amp; &lt; &gt; \"quoted\" cr&#13; tab\t</r>",
	`<r><![CDATA[a <cdata> & ]]> more</r>`,
	`<r>before<?target some data?>after<?empty?></r>`,
	`<r xml:lang="lv" xmlns:xml="http://www.w3.org/XML/1998/namespace"><c xml:space="preserve"> kept </c></r>`,
	`<r>ā ž € 😀</r>`,
	`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:wsu="urn:wsu"><s:Header/><s:Body wsu:Id="body"/></s:Envelope>`,
}

// xmllint returns the path of xmllint (libxml2) or skips the test; in CI
// (where make deps-test installs libxml2-utils) it fails instead.
func xmllint(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("xmllint")
	if err == nil {
		return path
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("xmllint is missing (Debian package libxml2-utils): %v", err)
	}
	t.Skipf("xmllint not installed (apt-get install libxml2-utils): %v", err)
	return ""
}

// TestCanonicalizeMatchesXmllint compares the canonical form of whole
// documents, among them a signed AS4 envelope, with libxml2's exclusive
// c14n (xmllint --exc-c14n, which keeps comments: the documents have none).
func TestCanonicalizeMatchesXmllint(t *testing.T) {
	tool := xmllint(t)
	dir := t.TempDir()
	env := loadEnvelope(t)
	if err := Sign(env, nil, getPKI(t).sender, as4Security); err != nil {
		t.Fatal(err)
	}
	signed, err := env.WriteToString()
	if err != nil {
		t.Fatal(err)
	}
	for i, src := range append(c14nDocs, signed) {
		path := filepath.Join(dir, "doc.xml")
		if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		want, err := exec.Command(tool, "--exc-c14n", path).Output()
		if err != nil {
			t.Fatalf("doc %d: xmllint: %v", i, err)
		}
		doc, err := xmlsafe.ParseBytes([]byte(src))
		if err != nil {
			t.Fatalf("doc %d: %v", i, err)
		}
		got, err := canonicalize(doc.Root(), "")
		if err != nil {
			t.Fatalf("doc %d: %v", i, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("doc %d:\ngot  %s\nwant %s", i, got, want)
		}
	}
}

// TestCanonicalizeSubtreesMatchGoxmldsig compares every element of the
// documents, canonicalized where it stands (namespaces from above, an
// InclusiveNamespaces PrefixList), with goxmldsig's exclusive c14n.
func TestCanonicalizeSubtreesMatchGoxmldsig(t *testing.T) {
	env := loadEnvelope(t)
	if err := Sign(env, []Part{memPart("p@x", "application/octet-stream", []byte("x"))}, getPKI(t).sender, as4Security); err != nil {
		t.Fatal(err)
	}
	signed, err := env.WriteToString()
	if err != nil {
		t.Fatal(err)
	}
	docs := append(c14nDocs, signed, `<r xmlns="urn:d" xmlns:p="urn:p" xmlns:q="urn:q"><!-- dropped --><e>x<!-- also --></e><p:e/></r>`)
	compared := 0
	for _, src := range docs {
		doc, err := xmlsafe.ParseBytes([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		for _, el := range append([]*etree.Element{doc.Root()}, doc.Root().FindElements("//*")...) {
			for _, prefixes := range []string{"", "p q", "s wsu"} {
				if !goxmldsigComparable(el) {
					continue
				}
				compared++
				want, werr := goxmldsigCanonicalize(el, prefixes)
				got, err := canonicalize(el, prefixes)
				if (err != nil) != (werr != nil) {
					t.Fatalf("%s with %q: error %v, goxmldsig %v", el.FullTag(), prefixes, err, werr)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s with %q:\ngot  %s\nwant %s", el.FullTag(), prefixes, got, want)
				}
			}
		}
	}
	if compared < 100 {
		t.Fatalf("compared only %d subtrees", compared)
	}
}

// TestCanonicalizeInclusiveDefault: "#default" in the PrefixList renders
// the default namespace in scope on an element that does not use it.
func TestCanonicalizeInclusiveDefault(t *testing.T) {
	doc, err := xmlsafe.ParseBytes([]byte(`<r xmlns="urn:d" xmlns:p="urn:p"><p:e><p:f/></p:e></r>`))
	if err != nil {
		t.Fatal(err)
	}
	e := doc.Root().ChildElements()[0]
	for prefixes, want := range map[string]string{
		"":         `<p:e xmlns:p="urn:p"><p:f></p:f></p:e>`,
		"#default": `<p:e xmlns="urn:d" xmlns:p="urn:p"><p:f></p:f></p:e>`,
	} {
		got, err := canonicalize(e, prefixes)
		if err != nil || string(got) != want {
			t.Errorf("PrefixList %q: %s, %v; want %s", prefixes, got, err, want)
		}
	}
}

func TestCanonicalizeRefusesUndeclaredPrefix(t *testing.T) {
	doc := etree.NewDocument()
	doc.CreateElement("p:x").CreateAttr("q:y", "1")
	if _, err := canonicalize(doc.Root(), ""); err == nil || !strings.Contains(err.Error(), `prefix "p"`) {
		t.Fatalf("error = %v, want undeclared prefix p", err)
	}
}

// FuzzCanonicalize compares canonicalize with goxmldsig on any document
// both can take.
func FuzzCanonicalize(f *testing.F) {
	for _, d := range c14nDocs {
		f.Add(d, "")
	}
	f.Add(`<r xmlns:p="urn:p"><p:x/></r>`, "p")
	f.Fuzz(func(t *testing.T, src, prefixes string) {
		doc, err := xmlsafe.ParseBytes([]byte(src))
		if err != nil || doc.Root() == nil {
			return
		}
		for _, el := range append([]*etree.Element{doc.Root()}, doc.Root().FindElements("//*")...) {
			if !goxmldsigComparable(el) {
				continue
			}
			want, werr := goxmldsigCanonicalize(el, prefixes)
			got, err := canonicalize(el, prefixes)
			if werr != nil {
				continue // goxmldsig refuses more (e.g. redeclared reserved prefixes)
			}
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("%s with %q: error %v\ngot  %s\nwant %s", el.FullTag(), prefixes, err, got, want)
			}
		}
	})
}

// goxmldsigCanonicalize is the exclusive c14n of package goxmldsig, which
// this package used before canonicalize.
func goxmldsigCanonicalize(el *etree.Element, prefixList string) ([]byte, error) {
	ctx, err := etreeutils.NSBuildParentContext(el)
	if err != nil {
		return nil, err
	}
	detached, err := etreeutils.NSDetatch(ctx, el)
	if err != nil {
		return nil, err
	}
	return dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList(prefixList).Canonicalize(detached)
}

// goxmldsigComparable reports whether goxmldsig canonicalizes the subtree
// of el as the specification says: it keeps CDATA sections, sorts
// attributes of different prefixes by local name instead of namespace URI,
// stops after 1000 elements, its PrefixList knows no "#default", and it
// writes xmlns="" where the output has no default namespace to undeclare.
// (TestCanonicalizeMatchesXmllint covers those.)
func goxmldsigComparable(el *etree.Element) bool {
	for e := el.Parent(); e != nil; e = e.Parent() {
		if slices.ContainsFunc(e.Attr, undeclaresDefault) {
			return false
		}
	}
	ok := true
	n := 0
	var walk func(*etree.Element)
	walk = func(e *etree.Element) {
		n++
		prefixes := map[string]bool{}
		for _, a := range e.Attr {
			if _, decl := declaredPrefix(a); !decl && a.Space != "" {
				prefixes[a.Space] = true
			}
		}
		if len(prefixes) > 1 || slices.ContainsFunc(e.Attr, undeclaresDefault) {
			ok = false
		}
		for _, tok := range e.Child {
			switch t := tok.(type) {
			case *etree.CharData:
				if t.IsCData() {
					ok = false
				}
			case *etree.Element:
				walk(t)
			}
		}
	}
	walk(el)
	return ok && n < 1000
}

func undeclaresDefault(a etree.Attr) bool { return a.Space == "" && a.Key == "xmlns" && a.Value == "" }
