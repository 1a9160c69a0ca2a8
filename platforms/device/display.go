package device

import (
	"os"
	"runtime"
)

// DisplayProblem returns why a desktop window cannot be opened here, or ""
// when it can be tried: on Linux and BSDs a window needs an X11 or Wayland
// display.
func DisplayProblem() string {
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd":
		if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
			return "no display: set DISPLAY or WAYLAND_DISPLAY, or run the headless exchange service (platforms/server)"
		}
	}
	return ""
}
