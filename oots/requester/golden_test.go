package requester

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/oots/edm"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestRequestGolden: the first and second EDM requests of testQuery, with
// the random request id fixed, match testdata/ byte for byte.
func TestRequestGolden(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct{ file, loc string }{
		{"request-first.xml", ""},
		{"request-second.xml", "https://127.0.0.1:8493/preview/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
	} {
		t.Run(tt.file, func(t *testing.T) {
			q := testQuery()
			q.PreviewLocation = tt.loc
			r := q.request(now)
			r.ID = "urn:uuid:00000000-0000-4000-8000-000000000001"
			got, err := edm.MarshalIndent(r, edm.V1)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tt.file)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the built request:\n%s", path, got)
			}
		})
	}
}
