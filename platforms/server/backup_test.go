package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/vienreiz/vienreiz/client"
)

// TestBackupOfARunningServiceRestoresWhole is an operator's backup: a
// service with its evidence encrypted at rest, two requests delivered and
// one waiting for the citizen's approval, is backed up while a citizen
// keeps asking for, approving and receiving evidence. The backup checks
// itself (ledger against the copied anchor, every document). After the
// service stops, the backup is checked again (without the key: by
// length), restored into a new folder and served: the documents are the
// same bytes, every request the restored service says was delivered has
// its document, the waiting one still waits, and ledger-verify finds the
// ledger intact. Then what an operator gets wrong or a disk does: a
// backup into a folder that is not empty or inside the data folder, a
// restore over a data folder, a flipped byte in a backed-up document
// (named by backup-check; a restore of it copies nothing).
func TestBackupOfARunningServiceRestoresWhole(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	work := t.TempDir()
	dir, restored := filepath.Join(work, "data"), filepath.Join(work, "restored")
	var dest string // the last backup
	keyFile := filepath.Join(work, "evidence.key")
	if err := os.WriteFile(keyFile, []byte(strings.Repeat("5a", 32)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p := startServer(t, "-data-dir", dir, "-evidence-key-file", keyFile)
	c := client.New(p.url).WithToken(citizenToken)
	ctx := context.Background()
	originals := map[string][]byte{}
	for i := range 2 {
		r, err := c.CreateRequest(ctx, birthEvidence(i))
		if err != nil {
			t.Fatal(err)
		}
		carryOn(t, c, r.ID, "delivered")
		originals[r.ID] = download(t, p.url, r.ID)
	}
	r, err := c.CreateRequest(ctx, birthEvidence(2))
	if err != nil {
		t.Fatal(err)
	}
	waitingID := carryOn(t, c, r.ID, "preview_required").ID

	// The citizen goes on while the backup is made: new requests for six
	// other pieces of evidence, each carried on to delivery and asked
	// for again.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var load struct {
		sync.Mutex
		steps int
	}
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			r, err := c.CreateRequest(ctx, birthEvidence(3+i%6))
			if err != nil {
				continue
			}
			if _, err := citizenStep(ctx, c, r); err == nil {
				load.Lock()
				load.steps++
				load.Unlock()
			}
		}
	})
	// Backups one after the other until the citizen has taken 60 steps
	// beside them; each must check whole.
	var out bytes.Buffer
	steps := func() int {
		load.Lock()
		defer load.Unlock()
		return load.steps
	}
	backups := 0
	for ; backups < 3 || steps() < 60; backups++ {
		dest = filepath.Join(work, fmt.Sprintf("backup-%d", backups))
		out.Reset()
		if code := run([]string{"backup", "-data-dir", dir, "-evidence-key-file", keyFile, dest}, &out); code != 0 || !strings.Contains(out.String(), "ledger intact") || !strings.Contains(out.String(), "database vienreiz.db") {
			close(stop)
			t.Fatalf("backup %d of a running service: exit %d\n%s", backups, code, out.String())
		}
	}
	close(stop)
	wg.Wait()
	t.Logf("%d backups beside %d citizen steps; the last:\n%s", backups, steps(), out.String())
	p.stop()

	out.Reset()
	if code := run([]string{"backup-check", dest}, &out); code != 0 || !strings.Contains(out.String(), "checked by length") {
		t.Fatalf("backup-check without the key: exit %d\n%s", code, out.String())
	}
	out.Reset()
	if code := run([]string{"restore", "-data-dir", restored, dest}, &out); code != 0 {
		t.Fatalf("restore: exit %d\n%s", code, out.String())
	}
	out.Reset()
	if code := run([]string{"ledger-verify", "-data-dir", restored}, &out); code != 0 || !strings.Contains(out.String(), "ledger intact") {
		t.Fatalf("ledger-verify of the restored folder: exit %d, %s", code, out.String())
	}
	p = startServer(t, "-data-dir", restored, "-evidence-key-file", keyFile)
	c = client.New(p.url).WithToken(citizenToken)
	for id, want := range originals {
		if got := download(t, p.url, id); !bytes.Equal(got, want) {
			t.Errorf("request %s: the restored document is %d bytes, not the %d delivered", id, len(got), len(want))
		}
	}
	list, err := c.Requests(ctx)
	if err != nil {
		t.Fatal(err)
	}
	delivered := 0
	for _, r := range list {
		switch {
		case r.State == "delivered":
			delivered++
			if len(download(t, p.url, r.ID)) == 0 {
				t.Errorf("request %s: delivered, with an empty document", r.ID)
			}
		case r.ID == waitingID && r.State != "preview_required":
			t.Errorf("the request that waited for approval is %s", r.State)
		}
	}
	t.Logf("restored: %d requests, %d delivered", len(list), delivered)
	p.stop()

	for _, tc := range []struct {
		what string
		args []string
		want string
	}{
		{"a backup into a folder that is not empty", []string{"backup", "-data-dir", dir, dest}, "not empty"},
		{"a backup inside the data folder", []string{"backup", "-data-dir", dir, filepath.Join(dir, "backup")}, "apart"},
		{"a restore over a data folder", []string{"restore", "-data-dir", dir, dest}, "not empty"},
		{"a backup of a folder that is not a data folder", []string{"backup", "-data-dir", work, filepath.Join(t.TempDir(), "b")}, "not a data folder"},
	} {
		out.Reset()
		if code := run(tc.args, &out); code != 1 || !strings.Contains(out.String(), tc.want) {
			t.Errorf("%s: exit %d, %s", tc.what, code, out.String())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "backup")); err == nil {
		t.Error("the refused backup inside the data folder was made")
	}

	// A disk flips one byte of a backed-up document.
	var blob string
	filepath.WalkDir(filepath.Join(dest, "vienreiz.db.evidence"), func(path string, e os.DirEntry, err error) error {
		if err == nil && e.Type().IsRegular() && blob == "" {
			blob = path
		}
		return err
	})
	b, err := os.ReadFile(blob)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0x10
	if err := os.WriteFile(blob, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if code := run([]string{"backup-check", "-evidence-key-file", keyFile, dest}, &out); code != 1 || !strings.Contains(out.String(), "damaged") || !strings.Contains(out.String(), "document 0") {
		t.Fatalf("backup-check of a damaged backup: exit %d\n%s", code, out.String())
	}
	again := filepath.Join(work, "restored-again")
	out.Reset()
	if code := run([]string{"restore", "-data-dir", again, "-evidence-key-file", keyFile, dest}, &out); code != 1 {
		t.Fatalf("restore of a damaged backup: exit %d\n%s", code, out.String())
	}
	if _, err := os.Stat(again); err == nil {
		t.Error("a damaged backup was restored")
	}
}
