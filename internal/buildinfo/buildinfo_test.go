package buildinfo

import (
	"runtime/debug"
	"testing"
)

// TestVersionNamesTheCommit: the app's About said "(devel)" under make
// run, whose go run stamps no version control information; the Makefile
// gives the commit to the linker instead, and a build Go stamped says its
// own, once.
func TestVersionNamesTheCommit(t *testing.T) {
	devel := debug.Module{Version: "(devel)"}
	pseudo := debug.Module{Version: "v0.0.0-20261206062715-61628e5594d7+dirty"} // Go 1.24+, from the checkout
	stamped := []debug.BuildSetting{{Key: "vcs.revision", Value: "61628e5594d71087b108"}, {Key: "vcs.modified", Value: "false"}}
	changed := []debug.BuildSetting{{Key: "vcs.revision", Value: "61628e5594d71087b108"}, {Key: "vcs.modified", Value: "true"}}
	for _, tc := range []struct {
		name     string
		main     debug.Module
		settings []debug.BuildSetting
		commit   string
		want     string
	}{
		{"go run, commit from the linker", devel, nil, "1a2b3c4d", "(devel) 1a2b3c4d"},
		{"go run outside a checkout", devel, nil, "", "(devel)"},
		{"stamped by go build", devel, stamped, "1a2b3c4d", "(devel) 61628e55"},
		{"stamped, with changes", devel, changed, "", "(devel) 61628e55+dirty"},
		{"a pseudo-version holds the commit", pseudo, changed, "", pseudo.Version},
	} {
		if got := versionOf(&debug.BuildInfo{Main: tc.main, Settings: tc.settings}, tc.commit); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
