package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/client"
	_ "modernc.org/sqlite" // database/sql driver "sqlite"
)

// TestLedgerVerifyFindsTruncationAfterRestart: the service checkpoints
// the ledger into the anchor file when it stops; someone with access to
// the database then cuts the citizen's chain back by one entry and moves
// its head (the chain alone still links). `ledger-verify` exits 1 naming
// it, and the restarted service reports it on /v1/health and in its log.
func TestLedgerVerifyFindsTruncationAfterRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	dir := t.TempDir()
	p := startServer(t, "-data-dir", dir)
	c := client.New(p.url).WithToken(citizenToken)
	ctx := context.Background()
	r, err := c.CreateRequest(ctx, api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GiveExplicitRequest(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	carryOn(t, c, r.ID, "preview_required")
	p.stop()

	var out bytes.Buffer
	if code := run([]string{"ledger-verify", "-data-dir", dir}, &out); code != 0 || !strings.Contains(out.String(), "ledger intact") {
		t.Fatalf("ledger-verify of an intact ledger: exit %d, %s", code, out.String())
	}

	db, err := sql.Open("sqlite", filepath.Join(dir, "vienreiz.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		// The citizen's chain, the one with more than one entry (the demo
		// data's company mandate has a chain of one).
		`DELETE FROM ledger_entries WHERE (chain, seq) IN (SELECT chain, head_seq FROM ledger_heads WHERE head_seq > 1)`,
		`UPDATE ledger_heads SET head_seq = head_seq - 1, head_hash = (SELECT hash FROM ledger_entries e WHERE e.chain = ledger_heads.chain AND e.seq = ledger_heads.head_seq - 1) WHERE head_seq > 1`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	out.Reset()
	if code := run([]string{"ledger-verify", "-data-dir", dir}, &out); code != 1 || !strings.Contains(out.String(), "TAMPERED") || !strings.Contains(out.String(), "cut back") {
		t.Fatalf("ledger-verify of a cut-back ledger: exit %d, %s", code, out.String())
	}

	p = startServer(t, "-data-dir", dir)
	deadline := time.Now().Add(20 * time.Second)
	var h api.Health
	for time.Now().Before(deadline) {
		if err := json.Unmarshal(get(t, p.url+"/v1/health"), &h); err != nil {
			t.Fatal(err)
		}
		if h.Ledger != nil && h.Ledger.Status != api.LedgerUnchecked {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if h.Status != "degraded" || h.Ledger == nil || h.Ledger.Status != api.LedgerTampered || !strings.Contains(h.Ledger.Problem, "cut back") {
		t.Fatalf("/v1/health after tampering: %+v %+v", h, h.Ledger)
	}
	if p.logLine("ledger: TAMPERING DETECTED", 10*time.Second) == "" {
		t.Fatal("the log does not report the tampering")
	}
	p.stop()
}
