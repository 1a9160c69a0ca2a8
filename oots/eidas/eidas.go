// Package eidas holds the eIDAS unique identifier of a natural or legal
// person, "XX/YY/ZZZ…": XX is the country of the eID that identified the
// person, YY the country of the party the identifier is given to (the
// destination), ZZZ… the identifier proper.
//
// The same person has one identifier per destination: the exchange takes
// the person's identifier from the sign-in and writes it with the evidence
// provider's country as destination (ID.For).
package eidas

import (
	"errors"
	"fmt"
	"strings"

	"github.com/vienreiz/vienreiz/oots/codelist"
)

// ErrFormat is wrapped by every error of ParseID and For.
var ErrFormat = errors.New("not an eIDAS identifier")

// MinUnique and MaxUnique bound the length of the unique part. The OOTS
// rules (R-EDM-REQ-C039 and its siblings) want at least 9 letters or digits
// after "XX/YY/"; eIDAS allows 256 characters in all.
const (
	MinUnique = 9
	MaxUnique = 256 - len("XX/YY/")
)

// ID is an eIDAS identifier. The zero ID is not valid; make one with
// ParseID or New.
type ID struct {
	Origin      string // country of the eID, e.g. "LV"
	Destination string // country the identifier is given to, e.g. "FI"
	Unique      string
}

// New checks the parts and returns the identifier.
func New(origin, destination, unique string) (ID, error) {
	id := ID{Origin: origin, Destination: destination, Unique: unique}
	return id, id.check()
}

// ParseID reads "XX/YY/ZZZ…". Country codes are upper case and in the OOTS
// country list (EL, not GR, for Greece); the unique part starts with
// MinUnique letters or digits and holds no space or slash.
func ParseID(s string) (ID, error) {
	parts := strings.SplitN(s, "/", 3)
	if len(parts) != 3 {
		return ID{}, fmt.Errorf("%w: %q is not XX/YY/unique", ErrFormat, s)
	}
	return New(parts[0], parts[1], parts[2])
}

func (id ID) check() error {
	for _, c := range []struct{ what, code string }{{"origin", id.Origin}, {"destination", id.Destination}} {
		if len(c.code) != 2 || strings.ToUpper(c.code) != c.code || !codelist.Countries().Has(c.code) {
			return fmt.Errorf("%w: %s country %q is not a two-letter code of the OOTS country list", ErrFormat, c.what, c.code)
		}
	}
	u := id.Unique
	if len(u) < MinUnique || len(u) > MaxUnique {
		return fmt.Errorf("%w: unique part %q has %d characters (want %d to %d)", ErrFormat, u, len(u), MinUnique, MaxUnique)
	}
	for i, r := range u {
		alnum := r < 128 && (r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z')
		if i < MinUnique && !alnum {
			return fmt.Errorf("%w: unique part %q must start with %d letters or digits", ErrFormat, u, MinUnique)
		}
		if r <= ' ' || r == '/' || r == 0x7f || r > 0x7e {
			return fmt.Errorf("%w: unique part %q holds %q", ErrFormat, u, r)
		}
	}
	return nil
}

// String returns "XX/YY/unique".
func (id ID) String() string {
	if id == (ID{}) {
		return ""
	}
	return id.Origin + "/" + id.Destination + "/" + id.Unique
}

// For returns the identifier given to a party in country destination: the
// same person, the destination segment replaced.
func (id ID) For(destination string) (ID, error) {
	return New(id.Origin, destination, id.Unique)
}

// Valid reports whether s is a well-formed eIDAS identifier.
func Valid(s string) bool {
	_, err := ParseID(s)
	return err == nil
}
