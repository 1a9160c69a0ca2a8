package keys_test

import (
	"bytes"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/oots/as4/keys"
)

// jksFixture writes a JKS with the LV identity under "lv" (key password
// "keypass") and the root as trusted entry "root".
func jksFixture(t *testing.T) ([]byte, keys.Identity) {
	t.Helper()
	p := newPKI(t)
	id, err := p.Party("LV")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := keys.WriteJKS(&buf, "storepass", "lv", id, "keypass", map[string]*x509.Certificate{"root": p.Root}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), id
}

func TestJKSRoundTrip(t *testing.T) {
	data, id := jksFixture(t)
	got, err := keys.LoadJKS(data, "storepass", "LV", "keypass") // alias case-insensitive
	if err != nil {
		t.Fatal(err)
	}
	if !got.Cert.Equal(id.Cert) || len(got.Chain) != 2 {
		t.Fatalf("loaded %v with %d chain certificates", got.Cert.Subject, len(got.Chain))
	}
	ts := keys.NewTrustStore()
	n, err := ts.AddJKS(data, "storepass")
	if err != nil || n != 1 {
		t.Fatalf("AddJKS = %d, %v; want 1, nil", n, err)
	}
	if ts.Lookup("root") == nil {
		t.Error("trusted entry not found by alias")
	}
}

func TestJKSErrors(t *testing.T) {
	data, _ := jksFixture(t)
	tests := []struct {
		name, storePass, alias, keyPass string
		data                            []byte
		want                            error
		msg                             string
	}{
		{"wrong store password", "nope", "lv", "keypass", data, keys.ErrPassword, "integrity"},
		{"wrong key password", "storepass", "lv", "nope", data, keys.ErrPassword, "lv"},
		{"key password defaults to store password", "storepass", "lv", "", data, keys.ErrPassword, "lv"},
		{"unknown alias", "storepass", "ee", "keypass", data, keys.ErrNoAlias, "lv"},
		{"no alias, one key entry", "storepass", "", "nope", data, keys.ErrPassword, "lv"},
		{"trusted entry is not a key", "storepass", "root", "keypass", data, keys.ErrNotKeyEntry, "root"},
		{"not a JKS", "storepass", "lv", "keypass", []byte("PK\x03\x04"), keys.ErrFormat, "magic"},
		{"truncated", "storepass", "lv", "keypass", data[:len(data)-30], keys.ErrFormat, ""},
		{"trailing bytes", "storepass", "lv", "keypass", append(append([]byte{}, data...), 0), keys.ErrFormat, "after the integrity digest"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := keys.LoadJKS(tt.data, tt.storePass, tt.alias, tt.keyPass)
			if !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not mention %q", err, tt.msg)
			}
		})
	}
}

// TestJKSHostileLengths: a JKS whose length fields claim gigabytes must be
// refused before the decoder allocates them.
func TestJKSHostileLengths(t *testing.T) {
	header := func(version, count uint32) []byte {
		b := []byte{0xfe, 0xed, 0xfe, 0xed}
		b = binary.BigEndian.AppendUint32(b, version)
		return binary.BigEndian.AppendUint32(b, count)
	}
	entry := func(tag uint32) []byte {
		b := binary.BigEndian.AppendUint32(nil, tag)
		b = append(b, 0, 1, 'a')             // alias "a"
		return append(b, make([]byte, 8)...) // creation time
	}
	huge := binary.BigEndian.AppendUint32(nil, 0xffffffff)
	tests := []struct {
		name string
		data []byte
		msg  string
	}{
		{"4 GiB private key", append(append(header(2, 1), entry(1)...), huge...), "private key"},
		{"4 GiB certificate", append(append(append(header(1, 1), entry(2)...), huge...), make([]byte, 20)...), "certificate"},
		{"4 billion chain certificates", append(append(append(header(1, 1), entry(1)...), 0, 0, 0, 0), huge...), "certificate"},
		{"4 billion entries", header(2, 0xffffffff), "entry tag"},
		{"unknown version", header(7, 0), "version 7"},
		{"unknown entry tag", append(header(2, 1), entry(9)...), "tag 9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := keys.LoadJKS(tt.data, "storepass", "a", "")
			if !errors.Is(err, keys.ErrFormat) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("error = %v, want ErrFormat mentioning %q", err, tt.msg)
			}
		})
	}
}
