package provider

import (
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/vienreiz/vienreiz/internal/sqlitedsn"
	"github.com/vienreiz/vienreiz/oots/as4/sqlitestore"
	"github.com/vienreiz/vienreiz/oots/edm"
)

// TestProviderPurgesOldAS4Records: the provider's as4.db keeps the
// requests it received (duplicate detection) and the answers it sent, and
// its send loop purges them once they are older than the retention: the
// file does not grow by every exchange for ever.
func TestProviderPurgesOldAS4Records(t *testing.T) {
	w := newWorld(t)
	w.ask(w.request(w.offer("LV", "birth"), "application/pdf"), edm.V1)
	db, err := sql.Open("sqlite", sqlitedsn.For(filepath.Join(w.stateDir, "as4.db"), "FULL"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	records := func() int {
		var received, sent int
		if err := db.QueryRow(`SELECT (SELECT count(*) FROM as4_received), (SELECT count(*) FROM as4_outbox)`).Scan(&received, &sent); err != nil {
			t.Fatal(err)
		}
		return received + sent
	}
	if n := records(); n < 2 {
		t.Fatalf("%d AS4 records after an exchange, want the request received and the answer sent", n)
	}

	w.clock.Add(sqlitestore.DefaultRetention + 24*time.Hour)
	w.prov.wake()
	deadline := time.Now().Add(10 * time.Second)
	for records() != 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := records(); n != 0 {
		t.Fatalf("%d AS4 records left a retention later, want 0", n)
	}
}
