//go:build !linux || android

package device

const desktopLinux = false
