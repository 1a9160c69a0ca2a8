package domibus

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/vienreiz/vienreiz/internal/spectest"
)

// FuzzImport feeds arbitrary bytes to the Domibus importer: it must fail
// cleanly or yield a configuration that validates.
func FuzzImport(f *testing.F) {
	f.Add([]byte(network(f)))
	if data, err := os.ReadFile(filepath.Join(spectest.Dir(f), "as4", "v2.0", "oots-france-pmode", "configuration_PMode_Domibus.xml")); err == nil {
		f.Add(data)
	}
	f.Add([]byte(`<db:configuration xmlns:db="http://domibus.eu/configuration" party="a"><businessProcesses/></db:configuration>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Import(bytes.NewReader(data))
		if err != nil {
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("Import returned an invalid configuration: %v", err)
		}
	})
}
