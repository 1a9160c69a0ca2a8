package platforms

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/BurntSushi/toml"
)

// fyneApp is the part of FyneApp.toml the phone packages take.
type fyneApp struct {
	Details struct{ Icon, Name, ID, Version string }
}

func readFyneApp(t *testing.T) fyneApp {
	t.Helper()
	var f fyneApp
	if _, err := toml.DecodeFile(filepath.Join("..", "FyneApp.toml"), &f); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join("..", f.Details.Icon)); err != nil {
		t.Fatalf("FyneApp.toml's icon: %v", err)
	}
	return f
}

// TestAndroidManifest: the manifest fyne package takes is the app's (the
// id of FyneApp.toml), asks for the camera (QR codes) without requiring
// one, opens vienreiz:// links, and declares nothing fyne package refuses
// (uses-sdk, an application icon).
func TestAndroidManifest(t *testing.T) {
	meta := readFyneApp(t)
	raw, err := os.ReadFile(filepath.Join("android", "AndroidManifest.xml"))
	if err != nil {
		t.Fatal(err)
	}
	type attr = xml.Attr
	var m struct {
		Package     string `xml:"package,attr"`
		Permissions []struct {
			Name string `xml:"name,attr"`
		} `xml:"uses-permission"`
		Features []struct {
			Name     string `xml:"name,attr"`
			Required string `xml:"required,attr"`
		} `xml:"uses-feature"`
		SDK         []attr `xml:"uses-sdk"`
		Application struct {
			Attrs    []attr `xml:",any,attr"`
			Activity []struct {
				Name string `xml:"name,attr"`
				Meta []struct {
					Name  string `xml:"name,attr"`
					Value string `xml:"value,attr"`
				} `xml:"meta-data"`
				Filters []struct {
					Data []struct {
						Scheme string `xml:"scheme,attr"`
					} `xml:"data"`
				} `xml:"intent-filter"`
			} `xml:"activity"`
		} `xml:"application"`
	}
	if err := xml.Unmarshal(raw, &m); err != nil {
		t.Fatalf("AndroidManifest.xml: %v", err)
	}
	if m.Package != meta.Details.ID {
		t.Errorf("manifest package %q, FyneApp.toml ID %q", m.Package, meta.Details.ID)
	}
	var perms []string
	for _, p := range m.Permissions {
		perms = append(perms, p.Name)
	}
	for _, want := range []string{"android.permission.CAMERA", "android.permission.INTERNET"} {
		if !slices.Contains(perms, want) {
			t.Errorf("no %s permission in %v", want, perms)
		}
	}
	for _, f := range m.Features {
		if f.Name == "android.hardware.camera.any" && f.Required != "false" {
			t.Errorf("the camera is required (%q): phones without one could not install the app", f.Required)
		}
	}
	if len(m.SDK) > 0 {
		t.Error("uses-sdk is declared: fyne package refuses it")
	}
	for _, a := range m.Application.Attrs {
		if a.Name.Local == "icon" {
			t.Error("android:icon is declared: fyne package refuses it (the icon comes from FyneApp.toml)")
		}
	}
	if len(m.Application.Activity) == 0 || m.Application.Activity[0].Name != "org.golang.app.GoNativeActivity" {
		t.Fatal("the first activity is not Fyne's GoNativeActivity")
	}
	act := m.Application.Activity[0]
	lib := false
	for _, md := range act.Meta {
		lib = lib || (md.Name == "android.app.lib_name" && md.Value == meta.Details.Name)
	}
	if !lib {
		t.Errorf("android.app.lib_name is not %q (the library fyne package builds)", meta.Details.Name)
	}
	scheme := false
	for _, f := range act.Filters {
		for _, d := range f.Data {
			scheme = scheme || d.Scheme == "vienreiz"
		}
	}
	if !scheme {
		t.Error("no intent filter for vienreiz:// links")
	}
}

// TestIOSInfoAdditions: the keys merged into the iOS app's Info.plist give
// the camera prompt's text and register vienreiz:// links.
func TestIOSInfoAdditions(t *testing.T) {
	meta := readFyneApp(t)
	raw, err := os.ReadFile(filepath.Join("ios", "Info.additions.plist"))
	if err != nil {
		t.Fatal(err)
	}
	var plist struct {
		Dict struct {
			Keys    []string `xml:"key"`
			Strings []string `xml:"string"`
			Arrays  []struct {
				Dicts []struct {
					Keys    []string `xml:"key"`
					Strings []string `xml:"string"`
					Arrays  []struct {
						Strings []string `xml:"string"`
					} `xml:"array"`
				} `xml:"dict"`
			} `xml:"array"`
		} `xml:"dict"`
	}
	if err := xml.Unmarshal(raw, &plist); err != nil {
		t.Fatalf("Info.additions.plist: %v", err)
	}
	if !slices.Contains(plist.Dict.Keys, "NSCameraUsageDescription") {
		t.Error("no NSCameraUsageDescription: iOS ends an app that opens the camera without one")
	}
	registered := false
	for _, a := range plist.Dict.Arrays {
		for _, d := range a.Dicts {
			for _, s := range d.Arrays {
				registered = registered || (slices.Contains(s.Strings, "vienreiz") && slices.Contains(d.Strings, meta.Details.ID))
			}
		}
	}
	if !registered || !slices.Contains(plist.Dict.Keys, "CFBundleURLTypes") {
		t.Error("vienreiz:// is not registered (CFBundleURLTypes)")
	}
	if _, err := os.ReadFile(filepath.Join("ios", "Vienreiz.entitlements")); err != nil {
		t.Error(err)
	}
}
