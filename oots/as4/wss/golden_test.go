package wss

import (
	"crypto/rand"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// TestSecurityHeaderGolden pins the layout of the wsse:Security header that
// Sign and Encrypt produce (the shape Domibus and phase4 expect): element
// order, algorithms, token references. Random identifiers become id1, id2…
// in order of appearance and digests, signature, key and token values
// become "…", so the golden file only changes when the layout does.
func TestSecurityHeaderGolden(t *testing.T) {
	p := getPKI(t)
	parts := []Part{
		memPart("payload-1@vienreiz.lv", "application/gzip", payload),
		memPart("payload-2@vienreiz.lv", "application/octet-stream", []byte("two")),
	}
	env := loadEnvelope(t)
	if err := Sign(env, parts, p.sender, as4Security); err != nil {
		t.Fatal(err)
	}
	if _, err := Encrypt(env, parts, p.receiver.Cert, as4Security, rand.Reader); err != nil {
		t.Fatal(err)
	}
	e, err := splitEnvelope(env)
	if err != nil {
		t.Fatal(err)
	}
	sec := children(e.header, NSWsse, "Security")[0].Copy()
	ids := map[string]string{}
	name := func(v string) string {
		if ids[v] == "" {
			ids[v] = fmt.Sprintf("id%d", len(ids)+1)
		}
		return ids[v]
	}
	var norm func(el *etree.Element)
	norm = func(el *etree.Element) {
		for i := range el.Attr {
			a := &el.Attr[i]
			switch {
			case a.Key == "Id":
				a.Value = name(a.Value)
			case a.Key == "URI" && strings.HasPrefix(a.Value, "#"):
				a.Value = "#" + name(a.Value[1:])
			}
		}
		switch el.Tag {
		case "DigestValue", "SignatureValue", "CipherValue", "BinarySecurityToken":
			el.SetText("…")
		}
		for _, c := range el.ChildElements() {
			norm(c)
		}
	}
	norm(sec)
	doc := etree.NewDocument()
	doc.SetRoot(sec)
	doc.Indent(2)
	got, err := doc.WriteToString()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "security-header.golden.xml")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run Golden -update to create it)", err)
	}
	if got != string(want) {
		t.Fatalf("wsse:Security layout changed; if intended, run go test -run Golden -update\ngot:\n%s", got)
	}
}
