//go:build linux && !android

package device

// desktopLinux: the system opens files with xdg-open.
const desktopLinux = true
