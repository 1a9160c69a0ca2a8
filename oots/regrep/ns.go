package regrep

import (
	"strings"

	"github.com/beevik/etree"
)

// Namespace URIs used by RegRep 4 and the OOTS profile.
const (
	NSQuery = "urn:oasis:names:tc:ebxml-regrep:xsd:query:4.0"
	NSRS    = "urn:oasis:names:tc:ebxml-regrep:xsd:rs:4.0"
	NSRIM   = "urn:oasis:names:tc:ebxml-regrep:xsd:rim:4.0"
	NSLCM   = "urn:oasis:names:tc:ebxml-regrep:xsd:lcm:4.0"
	NSSDG   = "http://data.europa.eu/p4s"
	NSXSI   = "http://www.w3.org/2001/XMLSchema-instance"
	NSXML   = "http://www.w3.org/XML/1998/namespace"
	NSXLink = "http://www.w3.org/1999/xlink"
	NSXMime = "http://www.w3.org/2005/05/xmlmime"
)

// Prefixes this package writes for each namespace.
const (
	PrefixQuery = "query"
	PrefixRS    = "rs"
	PrefixRIM   = "rim"
	PrefixLCM   = "lcm"
	PrefixSDG   = "sdg"
	PrefixXSI   = "xsi"
	PrefixXML   = "xml"
	PrefixXLink = "xlink"
	PrefixXMime = "xmime"
)

// Namespace pairs a prefix with its URI.
type Namespace struct {
	Prefix string
	URI    string
}

// StandardNamespaces returns the namespaces an OOTS RegRep message root
// declares, in the order they are written. The xml prefix is predefined
// and not listed. Each call returns a fresh array.
func StandardNamespaces() [6]Namespace {
	return [...]Namespace{
		{PrefixXSI, NSXSI},
		{PrefixRS, NSRS},
		{PrefixSDG, NSSDG},
		{PrefixRIM, NSRIM},
		{PrefixQuery, NSQuery},
		{PrefixXLink, NSXLink},
	}
}

// DeclareStandard declares the standard OOTS RegRep prefixes on e (the
// message root), as the builders of this package and its users expect.
func DeclareStandard(e *etree.Element) {
	for _, ns := range StandardNamespaces() {
		e.CreateAttr("xmlns:"+ns.Prefix, ns.URI)
	}
}

// Declare adds xmlns declarations for the given namespaces to e.
func Declare(e *etree.Element, nss ...Namespace) {
	for _, ns := range nss {
		e.CreateAttr("xmlns:"+ns.Prefix, ns.URI)
	}
}

// Is reports whether e has local name local in namespace ns. Prefixes are
// resolved against the declarations in scope, so any prefix (or a default
// namespace) is accepted as long as it maps to ns.
func Is(e *etree.Element, ns, local string) bool {
	return e != nil && e.Tag == local && e.NamespaceURI() == ns
}

// Name returns the namespace URI and local name of e, for error messages.
func Name(e *etree.Element) string {
	if e == nil {
		return "<nil>"
	}
	return "{" + e.NamespaceURI() + "}" + e.Tag
}

// LookupPrefix returns the URI bound to prefix in the scope of e ("" for
// the default namespace), and whether a binding was found. The xml prefix
// is always bound.
func LookupPrefix(e *etree.Element, prefix string) (string, bool) {
	if prefix == PrefixXML {
		return NSXML, true
	}
	for p := e; p != nil; p = p.Parent() {
		for _, a := range p.Attr {
			if prefix == "" {
				if a.Space == "" && a.Key == "xmlns" {
					return a.Value, true
				}
			} else if a.Space == "xmlns" && a.Key == prefix {
				return a.Value, true
			}
		}
	}
	return "", prefix == ""
}

// ResolveQName splits a QName attribute value such as "rim:StringValueType"
// and resolves its prefix in the scope of e. ok is false when the prefix is
// not declared.
func ResolveQName(e *etree.Element, qname string) (ns, local string, ok bool) {
	prefix, local := "", qname
	if i := strings.IndexByte(qname, ':'); i >= 0 {
		prefix, local = qname[:i], qname[i+1:]
	}
	ns, ok = LookupPrefix(e, prefix)
	return ns, local, ok
}

// AttrNS returns the value of the attribute named local in namespace ns on
// e, resolving attribute prefixes. Unprefixed attributes have no namespace.
func AttrNS(e *etree.Element, ns, local string) (string, bool) {
	for _, a := range e.Attr {
		if a.Key != local {
			continue
		}
		if a.Space == "" {
			if ns == "" {
				return a.Value, true
			}
			continue
		}
		if a.Space == "xmlns" {
			continue
		}
		if uri, ok := LookupPrefix(e, a.Space); ok && uri == ns {
			return a.Value, true
		}
	}
	return "", false
}

// ChildrenNS returns the child elements of e named local in namespace ns.
func ChildrenNS(e *etree.Element, ns, local string) []*etree.Element {
	var out []*etree.Element
	for _, c := range e.ChildElements() {
		if Is(c, ns, local) {
			out = append(out, c)
		}
	}
	return out
}

// ChildNS returns the first child element of e named local in namespace ns,
// or nil.
func ChildNS(e *etree.Element, ns, local string) *etree.Element {
	for _, t := range e.Child {
		if c, ok := t.(*etree.Element); ok && Is(c, ns, local) {
			return c
		}
	}
	return nil
}
