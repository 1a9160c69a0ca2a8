package wss

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"github.com/beevik/etree"
)

// is reports whether el is the element {ns}local.
func is(el *etree.Element, ns, local string) bool {
	return el != nil && el.Tag == local && el.NamespaceURI() == ns
}

// children returns the child elements of el named {ns}local.
func children(el *etree.Element, ns, local string) []*etree.Element {
	var out []*etree.Element
	for _, c := range el.ChildElements() {
		if is(c, ns, local) {
			out = append(out, c)
		}
	}
	return out
}

// child returns the only child {ns}local of el, or an error naming it when
// there is none or more than one.
func child(el *etree.Element, ns, local string) (*etree.Element, error) {
	cs := children(el, ns, local)
	switch len(cs) {
	case 1:
		return cs[0], nil
	case 0:
		return nil, fmt.Errorf("%s has no %s", el.Tag, local)
	}
	return nil, fmt.Errorf("%s has %d %s elements, want one", el.Tag, len(cs), local)
}

// descendants returns every element below el (el excluded) named
// {ns}local. Prefixes are resolved with a scope carried down the walk, so
// the cost stays linear in the size of the tree; Element.NamespaceURI
// walks up to the root on every call, which a hostile document nested
// 1000 deep turns into seconds.
func descendants(el *etree.Element, ns, local string) []*etree.Element {
	var out []*etree.Element
	var walk func(e *etree.Element, scope map[string]string)
	walk = func(e *etree.Element, scope map[string]string) {
		for _, tok := range e.Child {
			c, ok := tok.(*etree.Element)
			if !ok {
				continue
			}
			s := withDeclarations(scope, c)
			if c.Tag == local && s[c.Space] == ns {
				out = append(out, c)
			}
			walk(c, s)
		}
	}
	walk(el, scopeOf(el))
	return out
}

// scopeOf returns the namespace declarations in force at el, by prefix
// ("" for the default namespace).
func scopeOf(el *etree.Element) map[string]string {
	var chain []*etree.Element
	for e := el; e != nil; e = e.Parent() {
		chain = append(chain, e)
	}
	scope := map[string]string{}
	for i := len(chain) - 1; i >= 0; i-- {
		scope = withDeclarations(scope, chain[i])
	}
	return scope
}

// withDeclarations returns scope extended by the declarations on el; the
// same map when el declares nothing.
func withDeclarations(scope map[string]string, el *etree.Element) map[string]string {
	var out map[string]string
	for _, a := range el.Attr {
		var prefix string
		switch {
		case a.Space == "xmlns":
			prefix = a.Key
		case a.Space == "" && a.Key == "xmlns":
			prefix = ""
		default:
			continue
		}
		if out == nil {
			out = make(map[string]string, len(scope)+1)
			for k, v := range scope {
				out[k] = v
			}
		}
		out[prefix] = a.Value
	}
	if out == nil {
		return scope
	}
	return out
}

// attr returns the value of the attribute {ns}local of el; ns "" means an
// unqualified attribute.
func attr(el *etree.Element, ns, local string) (string, bool) {
	for i := range el.Attr {
		a := &el.Attr[i]
		if a.Key == local && a.NamespaceURI() == ns && (ns != "" || a.Space == "") {
			return a.Value, true
		}
	}
	return "", false
}

// wsuID returns the wsu:Id of el, or its unqualified Id attribute.
func wsuID(el *etree.Element) string {
	if v, ok := attr(el, NSWsu, "Id"); ok {
		return v
	}
	v, _ := attr(el, "", "Id")
	return v
}

// newID returns a fresh identifier with the given prefix, e.g. "SIG-3f2a…".
func newID(prefix string) (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("random id: %w", err)
	}
	return prefix + hex.EncodeToString(b[:]), nil
}

// envelope holds the parts of a SOAP 1.2 envelope this package touches.
type envelope struct {
	root, header, body, messaging *etree.Element
}

// splitEnvelope checks that doc is a SOAP 1.2 envelope with one Header,
// one Body and exactly one eb:Messaging in the whole document, a direct
// child of the Header. Any other layout is a policy failure: a second
// Messaging is the classic signature-wrapping vehicle.
func splitEnvelope(doc *etree.Document) (envelope, error) {
	var e envelope
	e.root = doc.Root()
	if !is(e.root, NSSoap12, "Envelope") {
		return e, policyErr("root element is not a SOAP 1.2 Envelope")
	}
	var err error
	if e.header, err = child(e.root, NSSoap12, "Header"); err != nil {
		return e, policyErr("%v", err)
	}
	if e.body, err = child(e.root, NSSoap12, "Body"); err != nil {
		return e, policyErr("%v", err)
	}
	all := descendants(e.root, NSEbms, "Messaging")
	if len(all) != 1 {
		return e, policyErr("envelope holds %d eb:Messaging elements, want exactly one", len(all))
	}
	if all[0].Parent() != e.header {
		return e, policyErr("eb:Messaging is not a direct child of the SOAP Header")
	}
	e.messaging = all[0]
	return e, nil
}

// checkContentIDs refuses parts without a Content-ID or with one used
// twice: a second part under a signed Content-ID would never be digested.
func checkContentIDs(parts []Part) error {
	seen := make(map[string]bool, len(parts))
	for _, p := range parts {
		if p.ContentID == "" {
			return policyErr("attachment without Content-ID")
		}
		if seen[p.ContentID] {
			return policyErr("Content-ID %q is used by two attachments", p.ContentID)
		}
		seen[p.ContentID] = true
	}
	return nil
}
