//go:build !unix

package platforms

// PrivateFiles does nothing where there is no umask; files inherit the
// user profile's access rules.
func PrivateFiles() {}
