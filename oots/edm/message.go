package edm

import (
	"fmt"

	"github.com/beevik/etree"
	"github.com/vienreiz/vienreiz/oots/regrep"
)

// Message is any EDM message: *QueryRequest, *QueryResponse or
// *ExceptionResponse.
type Message interface {
	// SpecVersion is the SpecificationIdentifier the message was read with.
	SpecVersion() Version
	// Marshal writes the message as version v.
	Marshal(v Version) ([]byte, error)
	// Build returns the message as an etree document of version v, e.g.
	// to embed it in another document.
	Build(v Version) (*etree.Document, error)
}

// Parse parses any EDM message, choosing the type by the root element and
// content: query:QueryRequest → *QueryRequest; query:QueryResponse with an
// rs:Exception → *ExceptionResponse; otherwise *QueryResponse.
func Parse(data []byte) (Message, error) {
	root, err := parseRoot(data, "")
	if err != nil {
		return nil, err
	}
	return FromElement(root)
}

// FromElement is Parse for an element of an already parsed document.
func FromElement(root *etree.Element) (Message, error) {
	switch {
	case regrep.Is(root, regrep.NSQuery, "QueryRequest"):
		return QueryRequestFromElement(root)
	case regrep.Is(root, regrep.NSQuery, "QueryResponse"):
		if regrep.ChildNS(root, regrep.NSRS, "Exception") != nil {
			return ExceptionResponseFromElement(root)
		}
		return QueryResponseFromElement(root)
	}
	return nil, regrep.FieldErr("root", fmt.Errorf("%w: %s (want query:QueryRequest or query:QueryResponse)", ErrRoot, regrep.Name(root)))
}
