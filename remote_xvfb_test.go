package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestDesktopWholeFlowWithARunningService: the app as deployed, talking
// to an exchange service that runs on its own (here in the test's
// process, with its own data folder and development provider) rather
// than one embedded in the app. Started with only VIENREIZ_SERVICE, the
// app asks the service where people sign in, starts no service of its
// own, and a citizen goes through the whole flow in Latvian: sign-in
// through the browser, the explicit request, the preview, delivery over
// AS4, the wallet and a saved copy equal to what the service delivered.
func TestDesktopWholeFlowWithARunningService(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real app, Xvfb and Chromium")
	}
	needTools(t, "tesseract", "convert")
	d := startDesktop(t)
	srv, _ := runningService(t, filepath.Join(d.dir, "data"))
	a, s := d.openDesktopApp(t, "VIENREIZ_SERVICE="+srv.URL(), "VIENREIZ_DATA_DIR="+filepath.Join(d.dir, "app"))
	s.prefix = "flow-lv-remote"
	if strings.Contains(a.logged(), "exchange service listening") {
		t.Fatalf("the app started an exchange service of its own:\n%s", a.logged())
	}
	driveWholeFlow(t, d, a, s)
}
