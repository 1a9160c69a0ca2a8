//go:build !unix

package device

// PrivateFiles does nothing where there is no umask; files inherit the
// user profile's access rules.
func PrivateFiles() {}
