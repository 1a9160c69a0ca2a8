// Package device is what the app needs of the device it runs on, with or
// without an exchange service of its own: where its data lives, whether a
// window can open, private files, and its secret store unlocked by the app
// PIN (platforms/secrets).
package device

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
)

// DataDirEnv overrides the data directory.
const DataDirEnv = "VIENREIZ_DATA_DIR"

// DataDir returns the folder for the app's database and files: $VIENREIZ_DATA_DIR
// if set; on Android the app's private files folder (Fyne's driver names it
// in $FILESDIR: Android gives an app no home folder); on Linux and BSDs
// $XDG_DATA_HOME/vienreiz or ~/.local/share/vienreiz; elsewhere the
// system's per-user configuration folder plus "Vienreiz".
func DataDir() (string, error) {
	return dataDirOn(runtime.GOOS, os.Getenv)
}

// dataDirOn is DataDir on the system goos with the environment getenv.
func dataDirOn(goos string, getenv func(string) string) (string, error) {
	if d := getenv(DataDirEnv); d != "" {
		return d, nil
	}
	switch goos {
	case "android":
		if d := getenv("FILESDIR"); filepath.IsAbs(d) {
			return filepath.Join(d, "vienreiz"), nil
		}
		return "", errors.New("no app files folder (FILESDIR) to keep data in; set " + DataDirEnv)
	case "windows", "darwin", "ios":
		base, err := os.UserConfigDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(base, "Vienreiz"), nil
	}
	if x := getenv("XDG_DATA_HOME"); filepath.IsAbs(x) {
		return filepath.Join(x, "vienreiz"), nil
	}
	if home := getenv("HOME"); filepath.IsAbs(home) {
		return filepath.Join(home, ".local", "share", "vienreiz"), nil
	}
	return "", errors.New("no home directory to keep data in; set " + DataDirEnv)
}
