package domibus

import (
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/oots/as4/pmode"
)

// BenchmarkImport measures importing the three-party network file;
// BenchmarkLoadJSON, the baseline, loads the same configuration from its
// JSON form with pmode.Parse, so the ratio is the cost of the Domibus
// route over the native one.
func BenchmarkImport(b *testing.B) {
	data := network(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Import(strings.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadJSON(b *testing.B) {
	c, err := Import(strings.NewReader(network(b)))
	if err != nil {
		b.Fatal(err)
	}
	data, err := pmode.Marshal(c)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pmode.Parse(data, ""); err != nil {
			b.Fatal(err)
		}
	}
}
