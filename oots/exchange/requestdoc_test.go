package exchange_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/internal/sqlitedsn"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// TestRequestsStoredInTheOldShapeStillRead (issue 15 structure): the
// store kept api.Request itself under "view" with no version; requests
// now store their own versioned facts. A row written in the old shape
// reads as before after a restart, moves on, and is written back in the
// new shape; a row from a newer program is refused, not misread.
func TestRequestsStoredInTheOldShapeStillRead(t *testing.T) {
	dir := t.TempDir()
	cfg := exchange.Config{DataDir: dir, Auth: people}
	s := start(t, cfg)
	var r, before api.Request
	call(t, s.URL(), janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"}, &r)
	call(t, s.URL(), janisToken, "GET", "/v1/requests/"+r.ID, nil, &before)
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}

	// The service runs beside this connection later on: wait for its
	// writes (busy timeout) instead of failing with SQLITE_BUSY.
	db, err := sql.Open("sqlite", sqlitedsn.For(filepath.Join(dir, exchange.DatabaseFile), "FULL"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var stored string
	if err := db.QueryRow(`SELECT doc FROM requests WHERE id = ?`, r.ID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal([]byte(stored), &doc); err != nil {
		t.Fatal(err)
	}
	if string(doc["v"]) != "2" || doc["facts"] == nil || doc["view"] != nil {
		t.Fatalf("a new request is stored as %s", stored)
	}
	doc["view"] = doc["facts"] // as the old program wrote it
	delete(doc, "facts")
	delete(doc, "v")
	old, _ := json.Marshal(doc)
	if _, err := db.Exec(`UPDATE requests SET doc = ? WHERE id = ?`, string(old), r.ID); err != nil {
		t.Fatal(err)
	}

	s = start(t, cfg)
	var after api.Request
	if code := call(t, s.URL(), janisToken, "GET", "/v1/requests/"+r.ID, nil, &after); code != 200 {
		t.Fatalf("reading the old row: %d", code)
	}
	if !reflect.DeepEqual(before, after) {
		t.Fatalf("the old row reads differently:\nbefore %+v\nafter  %+v", before, after)
	}
	if code := call(t, s.URL(), janisToken, "POST", "/v1/requests/"+r.ID+"/cancel", nil, &after); code != 200 || after.State != "cancelled" {
		t.Fatalf("cancelling the old row: %d %s", code, after.State)
	}
	if err := db.QueryRow(`SELECT doc FROM requests WHERE id = ?`, r.ID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	doc = nil
	if err := json.Unmarshal([]byte(stored), &doc); err != nil || string(doc["v"]) != "2" || doc["view"] != nil {
		t.Fatalf("the changed old row is written back as %s", stored)
	}

	doc["v"] = json.RawMessage("3")
	newer, _ := json.Marshal(doc)
	if _, err := db.Exec(`UPDATE requests SET doc = ? WHERE id = ?`, string(newer), r.ID); err != nil {
		t.Fatal(err)
	}
	if code := call(t, s.URL(), janisToken, "GET", "/v1/requests/"+r.ID, nil, nil); code < 500 {
		t.Fatalf("a row of a newer program answered %d, want an error", code)
	}
}
