package store

import (
	"context"
	"testing"
	"time"
)

// TestBackfillInboxRunsOnce: the requests without inbox items get the
// items the callback makes from their timelines, those with items are
// left alone, and a second run (another start, another process) does
// nothing. On both databases.
func TestBackfillInboxRunsOnce(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	const me = "LV/LV/01019012345"
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			old := RequestRecord{ID: "old", Owner: me, ServiceID: "lv-ehic", State: "preview_required", Doc: []byte(`{}`), CreatedAt: t0, UpdatedAt: t0}
			if err := s.CreateRequest(ctx, old, []TimelineEntry{{At: t0, Event: "created", State: "ready"}, {At: t0, Event: "preview_requested", State: "preview_required"}}, Effects{}); err != nil {
				t.Fatal(err)
			}
			recent := RequestRecord{ID: "recent", Owner: me, ServiceID: "lv-ehic", State: "failed", Doc: []byte(`{}`), CreatedAt: t0, UpdatedAt: t0}
			if err := s.CreateRequest(ctx, recent, []TimelineEntry{{At: t0, Event: "provider_error", State: "failed"}},
				Effects{Inbox: []InboxItem{{ID: "m1", Owner: me, RequestID: "recent", Event: "provider_error", State: "failed", At: t0}}}); err != nil {
				t.Fatal(err)
			}
			var asked []string
			items := func(r RequestRecord, tl []TimelineEntry) []InboxItem {
				asked = append(asked, r.ID)
				last := tl[len(tl)-1]
				return []InboxItem{{ID: "b-" + r.ID, Owner: r.Owner, RequestID: r.ID, Event: last.Event, State: last.State, Awaits: r.State, At: last.At}}
			}
			n, err := s.BackfillInbox(ctx, items)
			if err != nil || n != 1 || len(asked) != 1 || asked[0] != "old" {
				t.Fatalf("backfill stored %d, asked for %v, %v; want 1 item for the old request only", n, asked, err)
			}
			page, err := s.Inbox(ctx, me, "")
			got, unread := page.Items, page.Unread
			if err != nil || len(got) != 2 || unread != 2 {
				t.Fatalf("inbox after the backfill: %+v, %d unread, %v", got, unread, err)
			}
			if n, err := s.BackfillInbox(ctx, items); err != nil || n != 0 || len(asked) != 1 {
				t.Fatalf("second backfill: %d, asked %v, %v; want nothing", n, asked, err)
			}
		})
	}
}
