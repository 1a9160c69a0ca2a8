//go:build unix

package device

import "syscall"

// PrivateFiles makes every file and folder the process creates from now
// on readable by its own user only (umask 077): the service's folders
// hold evidence, names and dates of birth.
func PrivateFiles() { syscall.Umask(0o077) }
