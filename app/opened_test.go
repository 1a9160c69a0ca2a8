package app

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestOpenedDocumentsLastNoLongerThanNeeded: a copy whose writing fails is
// removed, Clear empties the app's folder (what a crash left, at start) and
// keeps the folder, and a folder made for the session goes with it.
func TestOpenedDocumentsLastNoLongerThanNeeded(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "vienreiz", "documents")
	o := NewOpenedDocuments(dir, quiet())
	path, err := o.Write("../elsewhere/Birth certificate.pdf", func(w io.Writer) error { _, err := io.WriteString(w, "%PDF"); return err })
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(path) != dir {
		t.Fatalf("the copy went to %s, not into %s", path, dir)
	}
	failed := errors.New("digest mismatch")
	if _, err := o.Write("Bad.pdf", func(w io.Writer) error { io.WriteString(w, "half"); return failed }); !errors.Is(err, failed) {
		t.Fatalf("a failed copy gave %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "Bad.pdf")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a copy that failed its check is kept: %v", err)
	}
	o.Clear()
	if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
		t.Fatalf("after Clear the folder holds %d entries (%v)", len(entries), err)
	}

	own := NewOpenedDocuments("", quiet())
	path, err = own.Write("Diploma.pdf", func(w io.Writer) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	own.Clear()
	if _, err := os.Stat(filepath.Dir(path)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the session's own folder outlived Clear: %v", err)
	}
	if _, err := own.Write("Again.pdf", func(w io.Writer) error { return nil }); err != nil {
		t.Fatalf("a copy after Clear: %v", err)
	}
	own.Clear()
}

// TestClosingTheSessionClearsOpenedDocuments: the app's quit leaves no
// copy behind.
func TestClosingTheSessionClearsOpenedDocuments(t *testing.T) {
	s := testSession(t, &fakeService{})
	path, err := s.Wallet.Opened.Write("Certificate.pdf", func(w io.Writer) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	s.Close(0)
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the copy outlived the session: %v", err)
	}
}
