package exchange_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/oots/demonet"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// TestAppLinkFilesComeFromConfiguration: with the Android package and
// certificate fingerprint and the iOS app id configured, the service
// serves the two association files the phones fetch before they let the
// app open https://HOST/open/… links — as JSON, without a redirect, naming
// exactly the configured apps and the /open/ paths. Without them the
// files are not there (the links open the portal's pages), and a wrong
// value stops the service at start, named.
func TestAppLinkFilesComeFromConfiguration(t *testing.T) {
	fingerprint := "14:6d:e9:83:c5:73:06:50:d8:ee:b9:95:2f:34:fc:64:16:a0:83:42:e6:1d:be:a8:8a:04:96:b2:3f:cf:44:e5"
	srv := start(t, exchange.Config{DataDir: t.TempDir(), Auth: roleTokens, AppLinks: exchange.AppLinks{
		AndroidPackage: "lv.vienreiz.app", AndroidCertSHA256: []string{fingerprint}, AppleAppIDs: []string{"ABCDE12345.lv.vienreiz.app"},
	}})
	fetch := func(base, path string, out any) int {
		t.Helper()
		noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := noRedirect.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode == 200 {
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("%s: Content-Type %q", path, ct)
			}
			if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
		}
		return resp.StatusCode
	}
	var android []struct {
		Relation []string `json:"relation"`
		Target   struct {
			Namespace    string   `json:"namespace"`
			Package      string   `json:"package_name"`
			Fingerprints []string `json:"sha256_cert_fingerprints"`
		} `json:"target"`
	}
	if code := fetch(srv.URL(), "/.well-known/assetlinks.json", &android); code != 200 {
		t.Fatalf("assetlinks.json: %d", code)
	}
	if len(android) != 1 || len(android[0].Relation) != 1 || android[0].Relation[0] != "delegate_permission/common.handle_all_urls" ||
		android[0].Target.Namespace != "android_app" || android[0].Target.Package != "lv.vienreiz.app" ||
		len(android[0].Target.Fingerprints) != 1 || android[0].Target.Fingerprints[0] != strings.ToUpper(fingerprint) {
		t.Fatalf("assetlinks.json: %+v", android)
	}
	var apple struct {
		AppLinks struct {
			Apps    []string `json:"apps"`
			Details []struct {
				AppIDs     []string            `json:"appIDs"`
				Components []map[string]string `json:"components"`
				AppID      string              `json:"appID"`
				Paths      []string            `json:"paths"`
			} `json:"details"`
		} `json:"applinks"`
	}
	if code := fetch(srv.URL(), "/.well-known/apple-app-site-association", &apple); code != 200 {
		t.Fatalf("apple-app-site-association: %d", code)
	}
	d := apple.AppLinks.Details
	if apple.AppLinks.Apps == nil || len(d) != 1 || len(d[0].AppIDs) != 1 || d[0].AppIDs[0] != "ABCDE12345.lv.vienreiz.app" || d[0].AppID != d[0].AppIDs[0] ||
		len(d[0].Components) != 1 || d[0].Components[0]["/"] != "/open/*" || len(d[0].Paths) != 1 || d[0].Paths[0] != "/open/*" {
		t.Fatalf("apple-app-site-association: %+v", apple)
	}

	plain := start(t, exchange.Config{DataDir: t.TempDir(), Auth: roleTokens})
	for _, path := range []string{"/.well-known/assetlinks.json", "/.well-known/apple-app-site-association"} {
		if code := fetch(plain.URL(), path, nil); code != http.StatusNotFound {
			t.Errorf("not configured, %s: %d, want 404", path, code)
		}
	}

	_, err := exchange.Start(context.Background(), exchange.Config{DataDir: t.TempDir(), Network: demonet.Embedded{}, Logger: quietLog(),
		AppLinks: exchange.AppLinks{AndroidPackage: "vienreiz", AndroidCertSHA256: []string{"14:6D:E9"}, AppleAppIDs: []string{"lv.vienreiz.app"}}})
	for _, want := range []string{`android package "vienreiz"`, `fingerprint "14:6D:E9" is not a SHA-256`, `apple app id "lv.vienreiz.app" is not TEAMID.BUNDLEID`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("start with wrong app links: %v, want it to say %s", err, want)
		}
	}
	if _, err := (exchange.AppLinks{AndroidPackage: "lv.vienreiz.app"}).Normalized(); err == nil {
		t.Error("a package without a fingerprint is taken")
	}
}
