package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestInboxKeepsItemsPerPersonWithReadState: the items stored with a
// request's change are listed for their owner only, newest first, with
// the unread count; marking read is per person; an item that awaits the
// person's action goes when the request moves on, news stays.
func TestInboxKeepsItemsPerPersonWithReadState(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	const me, other = "LV/LV/010101-12345", "EE/EE/48504152718"
	for name, s := range testStores(t) {
		t.Run(name, func(t *testing.T) {
			r := RequestRecord{ID: "r1", Owner: me, ServiceID: "lv-ehic", State: "preview_required", Doc: []byte(`{}`), CreatedAt: t0, UpdatedAt: t0}
			preview := InboxItem{
				ID: "m1", Owner: me, RequestID: "r1", ServiceID: "lv-ehic", Requirement: "req-1",
				Evidence: map[string]string{"lv": "Dzimšanas apliecība", "en": "Birth certificate"},
				Event:    "preview_requested", State: "preview_required", SenderKind: "provider", SenderID: "LV-DZS",
				SenderNames: map[string]string{"lv": "Dzimtsarakstu nodaļa"}, Awaits: "preview_required", At: t0,
			}
			if err := s.CreateRequest(ctx, r, []TimelineEntry{{At: t0, Event: "preview_requested", State: "preview_required"}}, Effects{Inbox: []InboxItem{preview}}); err != nil {
				t.Fatal(err)
			}
			theirs := RequestRecord{ID: "r2", Owner: other, ServiceID: "lv-ehic", State: "failed", Doc: []byte(`{}`), CreatedAt: t0, UpdatedAt: t0}
			if err := s.CreateRequest(ctx, theirs, []TimelineEntry{{At: t0, Event: "provider_error", State: "failed"}},
				Effects{Inbox: []InboxItem{{ID: "m9", Owner: other, RequestID: "r2", Event: "provider_error", State: "failed", At: t0}}}); err != nil {
				t.Fatal(err)
			}
			r.Version, r.UpdatedAt = 1, t0.Add(time.Minute)
			if err := s.UpdateRequest(ctx, r, []TimelineEntry{{At: r.UpdatedAt, Event: "status_posted", State: "preview_required", Detail: "We need it by Friday."}},
				Effects{Inbox: []InboxItem{{ID: "m2", Owner: me, RequestID: "r1", Event: "status_posted", State: "preview_required", Detail: "We need it by Friday.", SenderKind: "institution", At: r.UpdatedAt}}}); err != nil {
				t.Fatal(err)
			}
			items, unread, err := s.Inbox(ctx, me)
			if err != nil || unread != 2 || len(items) != 2 || items[0].ID != "m2" || items[1].ID != "m1" {
				t.Fatalf("inbox = %+v, unread %d, %v; want m2, m1 and 2 unread", items, unread, err)
			}
			if got := items[1]; got.Evidence["lv"] != "Dzimšanas apliecība" || got.SenderNames["lv"] != "Dzimtsarakstu nodaļa" || got.SenderID != "LV-DZS" || !got.At.Equal(t0) || !got.ReadAt.IsZero() {
				t.Fatalf("read back %+v", got)
			}

			if err := s.MarkInboxRead(ctx, other, "m1", t0); !errors.Is(err, ErrNotFound) {
				t.Fatalf("another person marks my message read: %v, want ErrNotFound", err)
			}
			if err := s.MarkInboxRead(ctx, me, "m2", t0.Add(2*time.Minute)); err != nil {
				t.Fatal(err)
			}
			if err := s.MarkInboxRead(ctx, me, "m2", t0.Add(3*time.Minute)); err != nil {
				t.Fatalf("marking read again: %v", err)
			}
			items, unread, _ = s.Inbox(ctx, me)
			if unread != 1 || !items[0].ReadAt.Equal(t0.Add(2*time.Minute)) {
				t.Fatalf("after marking m2 read: unread %d, %+v", unread, items[0])
			}

			// The preview is decided: "ready to preview" is stale and goes,
			// the clerk's message stays.
			r.Version, r.State, r.UpdatedAt = 2, "approved", t0.Add(4*time.Minute)
			if err := s.UpdateRequest(ctx, r, []TimelineEntry{{At: r.UpdatedAt, Event: "preview_approved", State: "approved"}}, Effects{}); err != nil {
				t.Fatal(err)
			}
			items, unread, _ = s.Inbox(ctx, me)
			if len(items) != 1 || items[0].ID != "m2" || unread != 0 {
				t.Fatalf("after the request moved on: %+v, unread %d; want only m2, read", items, unread)
			}
			if n, err := s.MarkAllInboxRead(ctx, other, t0); err != nil || n != 1 {
				t.Fatalf("mark all read: %d, %v", n, err)
			}
			if _, unread, _ := s.Inbox(ctx, other); unread != 0 {
				t.Fatalf("the other person still has %d unread", unread)
			}
		})
	}
}
