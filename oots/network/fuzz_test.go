package network_test

import (
	"os"
	"testing"

	"github.com/vienreiz/vienreiz/oots/network"
)

func FuzzParse(f *testing.F) {
	if b, err := os.ReadFile("../../docs/network.example.toml"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("[party]\nname = \"LV\"\n[[access_points]]\nurl = 1\n"))
	f.Add([]byte("[timeouts]\nresend = \"-1s\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := network.Parse(data)
		if err == nil && file == nil {
			t.Fatal("Parse returned neither a file nor an error")
		}
	})
}
