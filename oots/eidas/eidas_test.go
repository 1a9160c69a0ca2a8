package eidas

import (
	"errors"
	"testing"
)

func TestParseID(t *testing.T) {
	good := []string{"LV/FI/01019012345", "EL/DE/ABCDEFGHI", "BE/BE/123456789", "DE/LV/a1b2c3d4e5f6-7890.x"}
	for _, s := range good {
		id, err := ParseID(s)
		if err != nil {
			t.Errorf("%s: %v", s, err)
			continue
		}
		if id.String() != s {
			t.Errorf("%s: round trip %s", s, id)
		}
	}
	bad := []string{
		"", "LV/LV", "LV/LV/010190-12345", // the old demo identifier: '-' inside the first 9
		"LV/DE/123", "LV/DE/99887766", // too short
		"lv/DE/123456789", "GR/DE/123456789", "XX/DE/123456789", "LVA/DE/123456789",
		"LV/DE/123456789 0", "LV/DE/123456789/0", "LV/DE/1234567890ä",
	}
	for _, s := range bad {
		if _, err := ParseID(s); !errors.Is(err, ErrFormat) {
			t.Errorf("%q: accepted (%v)", s, err)
		}
	}
}

func TestFor(t *testing.T) {
	id, err := ParseID("LV/LV/01019012345")
	if err != nil {
		t.Fatal(err)
	}
	fi, err := id.For("FI")
	if err != nil || fi.String() != "LV/FI/01019012345" {
		t.Errorf("For(FI) = %v, %v", fi, err)
	}
	if _, err := id.For("GR"); err == nil {
		t.Error("For(GR) accepted; the OOTS list has EL")
	}
	if (ID{}).String() != "" {
		t.Error("zero ID prints")
	}
}

func FuzzParseID(f *testing.F) {
	for _, s := range []string{"LV/FI/01019012345", "x/y/z", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseID(s)
		if err != nil {
			return
		}
		if id.String() != s {
			t.Fatalf("%q parsed as %q", s, id)
		}
		if _, err := ParseID(id.String()); err != nil {
			t.Fatal(err)
		}
	})
}
