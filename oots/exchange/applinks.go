package exchange

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// AppLinks are the installed apps the service's https links
// (https://HOST/open/…) open instead of the browser: Android App Links
// (/.well-known/assetlinks.json) and iOS Universal Links
// (/.well-known/apple-app-site-association). Without them the files are
// not served and the links open the portal's page.
type AppLinks struct {
	// AndroidPackage is the Android app's package name (lv.vienreiz.app).
	AndroidPackage string
	// AndroidCertSHA256 are the SHA-256 fingerprints of the certificates
	// the Android app is signed with (AA:BB:…, 32 bytes each; the release
	// key, or Play App Signing's).
	AndroidCertSHA256 []string
	// AppleAppIDs are the iOS apps, TEAMID.BUNDLEID
	// (ABCDE12345.lv.vienreiz.app).
	AppleAppIDs []string
}

var (
	androidPackagePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$`)
	appleAppIDPattern     = regexp.MustCompile(`^[A-Z0-9]{10}\.[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$`)
)

// Normalized checks l and returns it with the fingerprints written as
// Android wants them (upper-case hex pairs joined by colons). Every
// mistake is named.
func (l AppLinks) Normalized() (AppLinks, error) {
	var errs []error
	if (l.AndroidPackage == "") != (len(l.AndroidCertSHA256) == 0) {
		errs = append(errs, errors.New("android app links need both the package name and the signing certificate's SHA-256 fingerprint"))
	}
	if l.AndroidPackage != "" && !androidPackagePattern.MatchString(l.AndroidPackage) {
		errs = append(errs, fmt.Errorf("android package %q is not a package name (like lv.vienreiz.app)", l.AndroidPackage))
	}
	out := AppLinks{AndroidPackage: l.AndroidPackage}
	for _, f := range l.AndroidCertSHA256 {
		raw, err := hex.DecodeString(strings.NewReplacer(":", "", " ", "").Replace(strings.TrimSpace(f)))
		if err != nil || len(raw) != 32 {
			errs = append(errs, fmt.Errorf("android certificate fingerprint %q is not a SHA-256 (32 bytes in hex, like AB:CD:…; keytool -list -v or apksigner print it)", f))
			continue
		}
		pairs := make([]string, len(raw))
		for i, b := range raw {
			pairs[i] = fmt.Sprintf("%02X", b)
		}
		out.AndroidCertSHA256 = append(out.AndroidCertSHA256, strings.Join(pairs, ":"))
	}
	for _, id := range l.AppleAppIDs {
		if !appleAppIDPattern.MatchString(id) {
			errs = append(errs, fmt.Errorf("apple app id %q is not TEAMID.BUNDLEID (a 10-character team id, like ABCDE12345.lv.vienreiz.app)", id))
			continue
		}
		out.AppleAppIDs = append(out.AppleAppIDs, id)
	}
	if err := errors.Join(errs...); err != nil {
		return AppLinks{}, fmt.Errorf("app links: %w", err)
	}
	return out, nil
}

// linksPath is what the apps open: the direct links and handoffs.
const linksPath = "/open/"

// mountAppLinks serves the association files l configures (l is
// normalized).
func mountAppLinks(mux *http.ServeMux, l AppLinks) {
	if l.AndroidPackage != "" {
		serveJSON(mux, "/.well-known/assetlinks.json", []any{map[string]any{
			"relation": []string{"delegate_permission/common.handle_all_urls"},
			"target": map[string]any{
				"namespace":                "android_app",
				"package_name":             l.AndroidPackage,
				"sha256_cert_fingerprints": l.AndroidCertSHA256,
			},
		}})
	}
	if len(l.AppleAppIDs) > 0 {
		var details []any
		for _, id := range l.AppleAppIDs {
			// appIDs and components for iOS 13 and later, appID and paths
			// for the ones before.
			details = append(details, map[string]any{
				"appIDs":     []string{id},
				"components": []any{map[string]string{"/": linksPath + "*", "comment": "direct links and handoffs open the app"}},
				"appID":      id,
				"paths":      []string{linksPath + "*"},
			})
		}
		serveJSON(mux, "/.well-known/apple-app-site-association", map[string]any{
			"applinks": map[string]any{"apps": []string{}, "details": details},
		})
	}
}

// serveJSON serves v at path, as the platforms fetch it: application/json,
// no redirect, cacheable for a day.
func serveJSON(mux *http.ServeMux, path string, v any) {
	body, _ := json.MarshalIndent(v, "", "  ")
	mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "public, max-age=86400")
		_, _ = w.Write(body)
	})
}
