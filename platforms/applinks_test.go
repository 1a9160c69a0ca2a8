package platforms

import (
	"encoding/xml"
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestAppLinkEntries: the Android app declares a verified intent filter
// for https://HOST/open/… (App Links: Android fetches assetlinks.json
// because of autoVerify) and the iOS app the associated domain
// applinks:HOST, for the same host, so a phone's own camera app scanning
// a portal's QR code opens the app.
func TestAppLinkEntries(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("android", "AndroidManifest.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Activities []struct {
			Filters []struct {
				AutoVerify string `xml:"autoVerify,attr"`
				Actions    []struct {
					Name string `xml:"name,attr"`
				} `xml:"action"`
				Categories []struct {
					Name string `xml:"name,attr"`
				} `xml:"category"`
				Data []struct {
					Scheme     string `xml:"scheme,attr"`
					Host       string `xml:"host,attr"`
					PathPrefix string `xml:"pathPrefix,attr"`
				} `xml:"data"`
			} `xml:"intent-filter"`
		} `xml:"application>activity"`
	}
	if err := xml.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	var androidHost string
	for _, a := range m.Activities {
		for _, f := range a.Filters {
			var cats []string
			for _, c := range f.Categories {
				cats = append(cats, c.Name)
			}
			for _, d := range f.Data {
				if d.Scheme != "https" {
					continue
				}
				if f.AutoVerify != "true" || len(f.Actions) != 1 || f.Actions[0].Name != "android.intent.action.VIEW" ||
					!slices.Contains(cats, "android.intent.category.BROWSABLE") || !slices.Contains(cats, "android.intent.category.DEFAULT") {
					t.Errorf("the https intent filter is not a verified, browsable VIEW filter: %+v", f)
				}
				if d.PathPrefix != "/open/" || d.Host == "" {
					t.Errorf("the https intent filter's data: %+v, want a host and pathPrefix /open/", d)
				}
				androidHost = d.Host
			}
		}
	}
	if androidHost == "" {
		t.Fatal("no intent filter for https://HOST/open/ links")
	}
	raw, err = os.ReadFile(filepath.Join("ios", "Vienreiz.entitlements"))
	if err != nil {
		t.Fatal(err)
	}
	var plist struct {
		Keys   []string `xml:"dict>key"`
		Arrays []struct {
			Strings []string `xml:"string"`
		} `xml:"dict>array"`
	}
	if err := xml.Unmarshal(raw, &plist); err != nil {
		t.Fatal(err)
	}
	i := slices.Index(plist.Keys, "com.apple.developer.associated-domains")
	if i < 0 || i >= len(plist.Arrays) {
		t.Fatalf("no associated domains in the entitlements: %+v", plist)
	}
	domains := plist.Arrays[i].Strings
	if !slices.Contains(domains, "applinks:"+androidHost) {
		t.Errorf("associated domains %v, want applinks:%s (the Android app links' host)", domains, androidHost)
	}
	script, err := os.ReadFile(filepath.Join("..", "scripts", "package-mobile.sh"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`android:host=\"` + androidHost + `\"`, "applinks:" + androidHost} {
		if !strings.Contains(string(script), want) {
			t.Errorf("scripts/package-mobile.sh does not set the host in %s", want)
		}
	}
}

// TestAppLinkFlags: the service's app-link settings come from flags (or
// their environment variables), several values comma-separated, and a
// malformed one stops the configuration with its name.
func TestAppLinkFlags(t *testing.T) {
	var f ServiceFlags
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	f.Register(fs, "127.0.0.1:0")
	fp := strings.Repeat("ab:", 31) + "ab"
	if err := fs.Parse([]string{"-data-dir", t.TempDir(), "-android-package", "lv.vienreiz.app", "-android-cert-sha256", fp + ", " + strings.ToUpper(fp), "-apple-app-id", "ABCDE12345.lv.vienreiz.app"}); err != nil {
		t.Fatal(err)
	}
	cfg, err := f.Config(slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	l := cfg.AppLinks
	if l.AndroidPackage != "lv.vienreiz.app" || len(l.AndroidCertSHA256) != 2 || l.AndroidCertSHA256[0] != strings.ToUpper(fp) || len(l.AppleAppIDs) != 1 {
		t.Fatalf("app links %+v", l)
	}
	f.AppLinks.AppleAppIDs = []string{"lv.vienreiz.app"}
	if _, err := f.Config(slog.New(slog.DiscardHandler)); err == nil || !strings.Contains(err.Error(), "TEAMID.BUNDLEID") {
		t.Fatalf("a bad app id: %v", err)
	}
}
