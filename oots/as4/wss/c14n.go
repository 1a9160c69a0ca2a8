package wss

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/beevik/etree"
)

// nsXML is the namespace bound to the prefix xml, never declared.
const nsXML = "http://www.w3.org/XML/1998/namespace"

// canonicalize returns the exclusive XML canonicalization without comments
// (https://www.w3.org/TR/xml-exc-c14n/) of el as it stands in its
// document: the namespaces in scope from its ancestors are taken into
// account, el itself is not changed. prefixList is the InclusiveNamespaces
// PrefixList ("#default" names the default namespace).
//
// It writes the canonical form in one walk over the tree. A general
// canonicalizer (goxmldsig's) copies the tree and a map of namespaces per
// element, which made it a tenth of the CPU time of an AS4 message.
func canonicalize(el *etree.Element, prefixList string) ([]byte, error) {
	c := canonicalizer{
		scope:    map[string][]string{},
		rendered: map[string][]string{},
		out:      make([]byte, 0, 1024),
	}
	for p := range strings.FieldsSeq(prefixList) {
		if p == "#default" {
			p = ""
		}
		c.inclusive = append(c.inclusive, p)
	}
	var above []*etree.Element
	for e := el.Parent(); e != nil; e = e.Parent() {
		above = append(above, e)
	}
	for _, e := range slices.Backward(above) {
		c.declare(e)
	}
	if err := c.element(el); err != nil {
		return nil, fmt.Errorf("exclusive c14n of %s: %w", el.FullTag(), err)
	}
	return c.out, nil
}

// canonicalizer is the state of one canonicalize walk.
type canonicalizer struct {
	inclusive []string
	// scope holds the namespace declarations in force, rendered those
	// written on the output ancestors: each a stack of URIs per prefix
	// ("" is the default namespace).
	scope, rendered map[string][]string
	out             []byte
}

// nsNode is a namespace declaration to write.
type nsNode struct{ prefix, uri string }

// declare pushes the namespace declarations of e onto the scope and
// returns their prefixes.
func (c *canonicalizer) declare(e *etree.Element) (prefixes []string) {
	for _, a := range e.Attr {
		if p, ok := declaredPrefix(a); ok {
			c.scope[p] = append(c.scope[p], a.Value)
			prefixes = append(prefixes, p)
		}
	}
	return prefixes
}

// declaredPrefix reports whether a declares a namespace and for which
// prefix ("" for the default namespace).
func declaredPrefix(a etree.Attr) (string, bool) {
	switch {
	case a.Space == "xmlns":
		return a.Key, true
	case a.Space == "" && a.Key == "xmlns":
		return "", true
	}
	return "", false
}

// lookup returns the namespace URI bound to prefix in the current scope.
func (c *canonicalizer) lookup(prefix string) (string, bool) {
	if prefix == "xml" {
		return nsXML, true
	}
	s := c.scope[prefix]
	if len(s) == 0 {
		return "", prefix == ""
	}
	return s[len(s)-1], true
}

func (c *canonicalizer) element(e *etree.Element) error {
	declared := c.declare(e)
	defer func() {
		for _, p := range declared {
			c.scope[p] = c.scope[p][:len(c.scope[p])-1]
		}
	}()

	// The namespaces e visibly uses (its own prefix, its attributes'),
	// and those of the PrefixList in scope, unless an output ancestor
	// already declared them with the same URI.
	var nodes []nsNode
	need := func(prefix string, mustExist bool) error {
		if prefix == "xml" || slices.ContainsFunc(nodes, func(n nsNode) bool { return n.prefix == prefix }) {
			return nil
		}
		uri, ok := c.lookup(prefix)
		if !ok {
			if mustExist {
				return fmt.Errorf("namespace prefix %q is not declared", prefix)
			}
			return nil
		}
		var current string // the default namespace is "" until declared
		if r := c.rendered[prefix]; len(r) > 0 {
			current = r[len(r)-1]
		} else if prefix != "" {
			current = "\x00" // not declared on any output ancestor
		}
		if current != uri {
			nodes = append(nodes, nsNode{prefix, uri})
		}
		return nil
	}
	if err := need(e.Space, true); err != nil {
		return err
	}
	attrs := make([]qualifiedAttr, 0, len(e.Attr))
	for _, a := range e.Attr {
		if _, ok := declaredPrefix(a); ok {
			continue
		}
		uri := ""
		if a.Space != "" {
			if err := need(a.Space, true); err != nil {
				return err
			}
			uri, _ = c.lookup(a.Space)
		}
		attrs = append(attrs, qualifiedAttr{a, uri})
	}
	for _, p := range c.inclusive {
		if err := need(p, false); err != nil {
			return err
		}
	}
	slices.SortFunc(nodes, func(a, b nsNode) int { return strings.Compare(a.prefix, b.prefix) })
	slices.SortFunc(attrs, func(a, b qualifiedAttr) int {
		if n := strings.Compare(a.uri, b.uri); n != 0 {
			return n
		}
		return strings.Compare(a.Key, b.Key)
	})

	c.out = append(c.out, '<')
	c.out = appendQName(c.out, e.Space, e.Tag)
	for _, n := range nodes {
		c.out = append(c.out, " xmlns"...)
		if n.prefix != "" {
			c.out = append(c.out, ':')
			c.out = append(c.out, n.prefix...)
		}
		c.out = append(c.out, `="`...)
		c.out = appendEscaped(c.out, n.uri, true)
		c.out = append(c.out, '"')
		c.rendered[n.prefix] = append(c.rendered[n.prefix], n.uri)
	}
	defer func() {
		for _, n := range nodes {
			c.rendered[n.prefix] = c.rendered[n.prefix][:len(c.rendered[n.prefix])-1]
		}
	}()
	for _, a := range attrs {
		c.out = append(c.out, ' ')
		c.out = appendQName(c.out, a.Space, a.Key)
		c.out = append(c.out, `="`...)
		c.out = appendEscaped(c.out, a.Value, true)
		c.out = append(c.out, '"')
	}
	c.out = append(c.out, '>')
	for _, tok := range e.Child {
		switch t := tok.(type) {
		case *etree.Element:
			if err := c.element(t); err != nil {
				return err
			}
		case *etree.CharData:
			// CDATA sections become their (escaped) text.
			c.out = appendEscaped(c.out, t.Data, false)
		case *etree.ProcInst:
			c.out = append(c.out, "<?"...)
			c.out = append(c.out, t.Target...)
			if t.Inst != "" {
				c.out = append(c.out, ' ')
				c.out = append(c.out, t.Inst...)
			}
			c.out = append(c.out, "?>"...)
		}
		// Comments are left out; directives cannot stand in an element.
	}
	c.out = append(c.out, "</"...)
	c.out = appendQName(c.out, e.Space, e.Tag)
	c.out = append(c.out, '>')
	return nil
}

// qualifiedAttr is an attribute with the namespace URI it sorts by.
type qualifiedAttr struct {
	etree.Attr
	uri string
}

func appendQName(out []byte, prefix, local string) []byte {
	if prefix != "" {
		out = append(out, prefix...)
		out = append(out, ':')
	}
	return append(out, local...)
}

// appendEscaped appends s escaped as c14n asks of text (&, <, > and CR)
// or of an attribute value (&, <, ", TAB, LF and CR). Bytes that are not
// UTF-8 or not XML characters become U+FFFD, as etree writes them.
func appendEscaped(out []byte, s string, attr bool) []byte {
	last := 0
	for i := 0; i < len(s); {
		r, width := utf8.DecodeRuneInString(s[i:])
		var esc string
		switch {
		case r == '&':
			esc = "&amp;"
		case r == '<':
			esc = "&lt;"
		case r == '>' && !attr:
			esc = "&gt;"
		case r == '"' && attr:
			esc = "&quot;"
		case r == '\t' && attr:
			esc = "&#x9;"
		case r == '\n' && attr:
			esc = "&#xA;"
		case r == '\r':
			esc = "&#xD;"
		case r < 0x80 && r >= 0x20 || r == '\t' || r == '\n':
		case !xmlChar(r) || r == utf8.RuneError && width == 1:
			esc = "\uFFFD"
		}
		if esc != "" {
			out = append(out, s[last:i]...)
			out = append(out, esc...)
			last = i + width
		}
		i += width
	}
	return append(out, s[last:]...)
}

// xmlChar reports whether r is a Char of XML 1.0.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
