// Package buildinfo tells which build of Vienreiz is running.
package buildinfo

import "runtime/debug"

// Version returns the module version and, when built from a git checkout,
// the short commit, e.g. "(devel) 1a2b3c4d".
func Version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := info.Main.Version
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 8 {
			v += " " + s.Value[:8]
		}
		if s.Key == "vcs.modified" && s.Value == "true" {
			v += "+dirty"
		}
	}
	return v
}
