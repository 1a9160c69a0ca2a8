package app

import (
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
)

// OpenedDocuments holds the copies of evidence documents handed to the
// system's viewer. They are a person's evidence in the clear, readable by
// whoever uses the computer next, so they last no longer than needed: a
// copy no app opened is removed at once (Discard), every copy when someone
// signs in or out and when the session closes (Clear), and the app clears
// at start what a crash left.
type OpenedDocuments struct {
	log *slog.Logger

	mu  sync.Mutex
	dir string // "" until the first copy when the folder is our own
	own bool   // the folder was made for this session (removed by Clear)
}

// NewOpenedDocuments keeps the copies in dir; with dir "", in a folder
// made for them under the system's temporary folder at the first copy.
func NewOpenedDocuments(dir string, log *slog.Logger) *OpenedDocuments {
	if log == nil {
		log = slog.Default()
	}
	return &OpenedDocuments{dir: dir, own: dir == "", log: log}
}

// Write makes a copy named name (its last element only) and has fill write
// it; a copy fill fails to write is removed. It returns the copy's path.
func (o *OpenedDocuments) Write(name string, fill func(io.Writer) error) (string, error) {
	dir, err := o.folder()
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, filepath.Base(name))
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return "", err
	}
	err = fill(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		o.Discard(path)
		return "", err
	}
	return path, nil
}

// folder is the folder of the copies, made if need be.
func (o *OpenedDocuments) folder() (string, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.dir == "" {
		dir, err := os.MkdirTemp("", "vienreiz-documents-")
		if err != nil {
			return "", err
		}
		o.dir = dir
	}
	return o.dir, os.MkdirAll(o.dir, 0o700)
}

// Discard removes the copy at path (one Write returned).
func (o *OpenedDocuments) Discard(path string) {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		o.log.Warn("an opened document's copy could not be removed", "err", err)
	}
}

// Clear removes every copy; a viewer that has one open keeps what it read.
func (o *OpenedDocuments) Clear() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.dir == "" {
		return
	}
	if o.own {
		if err := os.RemoveAll(o.dir); err != nil {
			o.log.Warn("the opened documents' folder could not be removed", "err", err)
		}
		o.dir = ""
		return
	}
	entries, err := os.ReadDir(o.dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		o.log.Warn("the opened documents' folder could not be read", "err", err)
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(o.dir, e.Name())); err != nil {
			o.log.Warn("an opened document's copy could not be removed", "err", err)
		}
	}
}
