// Package edm builds and parses the OOTS Evidence Data Model messages
// (RegRep 4 over github.com/beevik/etree): the evidence request
// (QueryRequest), the evidence response (QueryResponse with the evidence
// metadata and a reference to the AS4 attachment) and the error response
// (QueryResponse with an rs:Exception, including EDM:ERR:0002 "preview
// required").
//
// Two versions of the EDM are in use across Europe at the same time:
// oots-edm:v1.x and oots-edm:v2.0. Parsing detects the version from the
// SpecificationIdentifier slot; building writes the version the caller
// asks for, normally the one announced for the receiving member state in
// its P-Mode or Data Service Directory entry.
//
// The usual calls:
//
//	v, err := edm.ParseVersion(dsdEntrySpecID)     // the receiver's EDM version
//	req := &edm.QueryRequest{...}                  // from catalogue + directory data
//	body, err := req.Marshal(v)                    // payload for the AS4 user message
//	msg, err := edm.Parse(reply)                   // whatever came back
//	switch m := msg.(type) {
//	case *edm.QueryResponse:                      // evidence, attachment in m.Evidence[i].Attachment
//	case *edm.ExceptionResponse:                  // m.PreviewRequired(), m.Exception.Code ...
//	}
//
// All input is parsed through oots/xmlsafe: at most xmlsafe.DefaultLimit
// (8 MiB), no DTD or entity declarations (XXE, entity bombs), and element
// names are matched by namespace URI, never by prefix. Errors wrap the
// sentinels below and name the slot (regrep.SlotError) or the element or
// attribute path (regrep.FieldError) at fault.
package edm
