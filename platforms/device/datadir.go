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
// if set; on Linux and BSDs $XDG_DATA_HOME/vienreiz or ~/.local/share/vienreiz;
// elsewhere the system's per-user configuration folder plus "Vienreiz".
// mobileRoot, when not empty, is the sandboxed app folder that phones give
// and is used as is.
func DataDir(mobileRoot string) (string, error) {
	if d := os.Getenv(DataDirEnv); d != "" {
		return d, nil
	}
	if mobileRoot != "" {
		return mobileRoot, nil
	}
	switch runtime.GOOS {
	case "windows", "darwin", "ios", "android":
		base, err := os.UserConfigDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(base, "Vienreiz"), nil
	}
	if x := os.Getenv("XDG_DATA_HOME"); filepath.IsAbs(x) {
		return filepath.Join(x, "vienreiz"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", errors.New("no home directory to keep data in; set " + DataDirEnv)
	}
	return filepath.Join(home, ".local", "share", "vienreiz"), nil
}
