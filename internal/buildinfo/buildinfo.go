// Package buildinfo tells which build of Vienreiz is running.
package buildinfo

import (
	"runtime/debug"
	"strings"
)

// commit is the short commit the build was made from, set by the linker
// (-X) where Go stamps none: go run (make run) records no version control
// information.
var commit string

// Version returns the module version and the short commit the build was
// made from, e.g. "(devel) 1a2b3c4d" ("+dirty" when the checkout had
// changes Go saw).
func Version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	return versionOf(info, commit)
}

// versionOf is Version for the build info info and the linker's commit.
// A version Go derived from the checkout (a pseudo-version, which holds
// the commit and "+dirty") is returned as it is.
func versionOf(info *debug.BuildInfo, commit string) string {
	v := info.Main.Version
	revision, modified := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	switch {
	case len(revision) >= 12 && strings.Contains(v, revision[:12]):
	case len(revision) >= 8:
		v += " " + revision[:8]
		if modified {
			v += "+dirty"
		}
	case commit != "":
		v += " " + commit
	}
	return v
}
