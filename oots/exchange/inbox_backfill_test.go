package exchange_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/vienreiz/vienreiz/api"
	"github.com/vienreiz/vienreiz/oots/exchange"
)

// TestInboxOfAnOlderDatabaseIsFilledOnce (issue 15): a database made
// before the inbox existed has requests but no inbox items; at the next
// start the service gives them the items their timelines make — the
// waiting preview (asking to act) and the delivery — and does so once: a
// message read afterwards stays read and nothing comes twice at the
// following start. Before, such an inbox stayed empty.
func TestInboxOfAnOlderDatabaseIsFilledOnce(t *testing.T) {
	dir := t.TempDir()
	cfg := exchange.Config{DataDir: dir, Auth: people}
	s := start(t, cfg)
	base := s.URL()
	var waiting, delivered api.Request
	call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "LV"}, &waiting)
	call(t, base, janisToken, "POST", "/v1/requests/"+waiting.ID+"/explicit-request", nil, &waiting)
	waitState(t, base, janisToken, waiting.ID, "preview_required")
	call(t, base, janisToken, "POST", "/v1/requests", api.NewRequest{ServiceID: "lv-birth-certificate", Requirement: proofOfBirth, Country: "EE"}, &delivered)
	call(t, base, janisToken, "POST", "/v1/requests/"+delivered.ID+"/explicit-request", nil, &delivered)
	waitState(t, base, janisToken, delivered.ID, "preview_required")
	call(t, base, janisToken, "POST", "/v1/requests/"+delivered.ID+"/preview", nil, nil)
	call(t, base, janisToken, "POST", "/v1/requests/"+delivered.ID+"/preview/decision", api.Decision{Decision: "approve"}, nil)
	waitState(t, base, janisToken, delivered.ID, "delivered")
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}

	// As the database was before the inbox: no items, the backfill pending.
	db, err := sql.Open("sqlite", filepath.Join(dir, exchange.DatabaseFile))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DELETE FROM inbox`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO inbox_backfill (pending) VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s = start(t, cfg)
	var in api.Inbox
	call(t, s.URL(), janisToken, "GET", "/v1/inbox", nil, &in)
	got := map[string]api.InboxItem{}
	for _, it := range in.Items {
		got[it.RequestID+" "+it.Event] = it
	}
	p, ok := got[waiting.ID+" preview_requested"]
	if !ok || !p.ActionNeeded || p.Read || p.ServiceID != "lv-birth-certificate" || p.Evidence["en"] == "" || p.From.Kind != api.SenderProvider {
		t.Fatalf("the waiting preview's item after the start: %+v (inbox %s)", p, inboxEvents(in))
	}
	if _, ok := got[delivered.ID+" evidence_delivered"]; !ok {
		t.Fatalf("no delivery item: %s", inboxEvents(in))
	}
	if _, ok := got[delivered.ID+" preview_requested"]; ok {
		t.Fatalf("the decided preview is back as 'ready to preview': %s", inboxEvents(in))
	}
	count := in.Count
	call(t, s.URL(), janisToken, "POST", "/v1/inbox/read", nil, nil)
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}

	s = start(t, cfg)
	call(t, s.URL(), janisToken, "GET", "/v1/inbox", nil, &in)
	if in.Count != count || in.Unread != 0 {
		t.Fatalf("after the next start: %d items (%d unread), want the same %d, all read", in.Count, in.Unread, count)
	}
}
