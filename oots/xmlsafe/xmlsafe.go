// Package xmlsafe parses XML from outside the service into etree documents
// with the defences every OOTS and AS4 parser needs: a size limit, no DTDs
// (and so no external entities or entity expansion bombs), and no
// processing of anything but plain elements, attributes and text.
package xmlsafe

import (
	"errors"
	"fmt"
	"io"

	"github.com/beevik/etree"
)

// DefaultLimit is the largest document Parse accepts when no limit is given:
// 8 MiB, far above any EDM or ebMS header seen in practice.
const DefaultLimit = 8 << 20

// ErrTooLarge is returned when a document exceeds the size limit.
var ErrTooLarge = errors.New("xml document exceeds size limit")

// ErrDoctype is returned when a document carries a DOCTYPE or entity
// declaration; OOTS and AS4 messages never do, and they are the vehicle of
// XXE and entity-expansion attacks.
var ErrDoctype = errors.New("xml document contains a DOCTYPE or entity declaration, which is not allowed")

// MaxDepth is the deepest element nesting accepted. OOTS and AS4 messages
// nest a few dozen levels; deeper documents only serve to make code that
// walks up the tree (namespace resolution) slow.
const MaxDepth = 128

// ErrTooDeep is returned when elements nest deeper than MaxDepth.
var ErrTooDeep = fmt.Errorf("xml document nests elements deeper than %d levels", MaxDepth)

// ErrEmpty is returned when a document has no root element.
var ErrEmpty = errors.New("xml document has no root element")

// Parse reads at most limit bytes (DefaultLimit when limit <= 0) from r and
// returns the parsed document. It fails with ErrTooLarge, ErrDoctype or
// ErrEmpty, or with the parser's error, wrapped with the byte offset.
func Parse(r io.Reader, limit int64) (*etree.Document, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading xml: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w (%d bytes)", ErrTooLarge, limit)
	}
	return ParseBytes(data)
}

// ParseBytes parses a complete document held in memory with the same
// checks as Parse, except the size limit, which is the caller's business.
func ParseBytes(data []byte) (*etree.Document, error) {
	if prologHasDirective(data) {
		return nil, ErrDoctype
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(data); err != nil {
		return nil, fmt.Errorf("malformed xml: %w", err)
	}
	if doc.Root() == nil {
		return nil, ErrEmpty
	}
	if hasDirective(&doc.Element) {
		return nil, ErrDoctype
	}
	if depth(doc.Root()) > MaxDepth {
		return nil, ErrTooDeep
	}
	return doc, nil
}

// prologHasDirective reports whether the part of data before the root
// element holds a markup declaration such as <!DOCTYPE: "<!" followed by a
// letter. Comments ("<!--") are not declarations. Checking the raw bytes
// first means a hostile DTD is never handed to the parser at all.
func prologHasDirective(data []byte) bool {
	for i := 0; i+2 < len(data); i++ {
		if data[i] != '<' {
			continue
		}
		next := data[i+1]
		switch {
		case next == '!':
			if c := data[i+2] | 0x20; c >= 'a' && c <= 'z' {
				return true
			}
		case next != '?':
			return false // the root element starts here
		}
	}
	return false
}

// hasDirective reports whether a directive token appears anywhere in the tree.
func hasDirective(e *etree.Element) bool {
	for _, tok := range e.Child {
		switch t := tok.(type) {
		case *etree.Directive:
			return true
		case *etree.Element:
			if hasDirective(t) {
				return true
			}
		}
	}
	return false
}

// depth returns how deep elements nest under and including root, walking
// the tree once without recursion.
func depth(root *etree.Element) int {
	type frame struct {
		e *etree.Element
		d int
	}
	deepest := 0
	stack := []frame{{root, 1}}
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		deepest = max(deepest, f.d)
		for _, c := range f.e.ChildElements() {
			stack = append(stack, frame{c, f.d + 1})
		}
	}
	return deepest
}
