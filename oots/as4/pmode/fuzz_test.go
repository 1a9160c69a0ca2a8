package pmode

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds arbitrary bytes to the JSON loader: it must either fail
// with ErrInvalid or return a configuration that validates and survives a
// Marshal/Parse round trip.
func FuzzParse(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("testdata", "two-parties.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`{"self":"A","parties":[{"name":"A","ids":[{"value":"urn:a"}],"endpoints":["https://a/"]}],"pmodes":[{"id":"p","initiator":{"party":"A"},"responder":{"party":"A"},"legs":[{"service":"urn:s","action":"a"}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, "")
		if err != nil {
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("Parse accepted an invalid configuration: %v", err)
		}
		out, err := Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Parse(out, ""); err != nil {
			t.Fatalf("re-parsing Marshal output: %v\n%s", err, out)
		}
	})
}
