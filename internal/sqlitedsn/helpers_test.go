package sqlitedsn

import "os"

func mkdirAll(dir string) error { return os.MkdirAll(dir, 0o700) }

func exists(path string) bool { _, err := os.Stat(path); return err == nil }
