package wss

import (
	"bytes"
	"os"

	"github.com/beevik/etree"

	"github.com/vienreiz/vienreiz/oots/xmlsafe"
)

// benchParts is a small AS4 message's payload: one 4 KiB compressed part.
func benchParts() []Part {
	return []Part{memPart("payload-1@vienreiz.lv", "application/gzip", bytes.Repeat([]byte{0x1f, 0x8b, 7, 3}, 1024))}
}

// newDoc returns a fresh document holding a copy of base's root.
func newDoc(base *etree.Document) *etree.Document {
	d := etree.NewDocument()
	d.SetRoot(base.Root().Copy())
	return d
}

// parseWire parses received envelope bytes as the receiver does.
func parseWire(b []byte) (*etree.Document, error) { return xmlsafe.ParseBytes(b) }

// fileSpool makes spool files and removes them all when asked.
type fileSpool struct {
	dir   string
	files []*os.File
}

func (s *fileSpool) create() (*os.File, error) {
	f, err := os.CreateTemp(s.dir, "part-*")
	if err == nil {
		s.files = append(s.files, f)
	}
	return f, err
}

func (s *fileSpool) removeAll() {
	for _, f := range s.files {
		f.Close()
		os.Remove(f.Name())
	}
	s.files = nil
}
