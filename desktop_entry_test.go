package main

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/vienreiz/vienreiz/app"
)

// TestDesktopEntryRegistersVienreizLinks: the Linux .desktop entry that
// scripts/package-linux.sh installs declares the vienreiz:// scheme and
// passes the link to the app (%u), which takes it as its LINK argument.
func TestDesktopEntryRegistersVienreizLinks(t *testing.T) {
	f, err := os.Open("platforms/linux/lv.vienreiz.app.desktop")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	entry := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			entry[k] = v
		}
	}
	if !strings.Contains(";"+entry["MimeType"], ";x-scheme-handler/vienreiz;") {
		t.Errorf("MimeType %q does not declare x-scheme-handler/vienreiz", entry["MimeType"])
	}
	exec := strings.Fields(entry["Exec"])
	if len(exec) != 2 || exec[0] != "vienreiz" || exec[1] != "%u" {
		t.Fatalf("Exec %q: want the app with the link (%%u)", entry["Exec"])
	}
	if entry["Icon"] != appID || entry["Type"] != "Application" {
		t.Errorf("Icon %q, Type %q", entry["Icon"], entry["Type"])
	}
	if _, err := app.ParseLink("vienreiz://services/lv-birth-certificate"); err != nil {
		t.Fatalf("the app does not take a vienreiz:// link: %v", err)
	}
	script, err := os.ReadFile("scripts/package-linux.sh")
	if err != nil || !strings.Contains(string(script), "platforms/linux/lv.vienreiz.app.desktop") {
		t.Fatalf("package-linux.sh does not install the entry (%v)", err)
	}
}
