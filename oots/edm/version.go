package edm

import (
	"fmt"
	"strings"
)

// Version is an EDM SpecificationIdentifier, such as "oots-edm:v1.0".
type Version string

// The EDM versions this package writes. Any "oots-edm:v1.N" is read and
// written with the v1 layout, any "oots-edm:v2.N" with the v2 layout.
const (
	V1 Version = "oots-edm:v1.0"
	V2 Version = "oots-edm:v2.0"
)

const versionPrefix = "oots-edm:v"

// Major returns the major version (1 or 2), or 0 when v is not an EDM
// specification identifier this package knows.
func (v Version) Major() int {
	rest, ok := strings.CutPrefix(string(v), versionPrefix)
	if !ok {
		return 0
	}
	major, _, _ := strings.Cut(rest, ".")
	switch major {
	case "1":
		return 1
	case "2":
		return 2
	}
	return 0
}

// minor returns the minor version number, 0 when absent or not a number.
func (v Version) minor() int {
	rest, _ := strings.CutPrefix(string(v), versionPrefix)
	_, m, _ := strings.Cut(rest, ".")
	n := 0
	for _, c := range m {
		if c < '0' || c > '9' || n > 1000 {
			break
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// after10 reports whether v is later than v1.0: the sdg elements added
// after v1.0 (sdg:Description in sdg:Requirement, sdg:Language in
// sdg:DistributedAs) are written only then, since the v1.0 schema rejects
// them.
func (v Version) after10() bool {
	return v.Major() >= 2 || (v.Major() == 1 && v.minor() >= 1)
}

// check returns an error unless v is a version this package can write.
func (v Version) check() error {
	if v.Major() == 0 {
		return fmt.Errorf("%w: %q (want %s or %s)", ErrVersion, string(v), V1, V2)
	}
	return nil
}

// ParseVersion checks a specification identifier taken from outside (a
// P-Mode, a Data Service Directory entry, an ebMS SpecificationId
// property) and returns it as a Version, surrounding space removed.
func ParseVersion(s string) (Version, error) {
	v := Version(strings.TrimSpace(s))
	if err := v.check(); err != nil {
		return "", err
	}
	return v, nil
}

// String returns the specification identifier.
func (v Version) String() string { return string(v) }
