//go:build !linux

package launch

// evict does nothing where the page cache cannot be advised.
func evict(string) error { return nil }
