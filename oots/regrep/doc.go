// Package regrep holds the OASIS ebXML RegRep 4 basics that the OOTS
// Evidence Data Model (EDM) messages and the Evidence Broker / Data Service
// Directory answers share: namespace URIs and prefixes, rim:Slot with its
// slot value types, rs:Exception, and typed errors that name the slot or
// field at fault.
//
// It works on github.com/beevik/etree elements. Parsing is done by the
// caller through oots/xmlsafe; this package only reads and writes the
// elements of an already parsed tree, matching names by namespace URI (not
// by prefix), so documents that use other prefixes are read correctly.
package regrep
